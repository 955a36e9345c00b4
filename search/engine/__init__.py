"""The search core: the live index, matching, ranking, collapse, snippets and facets."""
