"""The query language: syntax, dates, synonyms and the compiler to Whoosh queries.

Nothing here opens an index or runs a search; ``engine`` does that with what this
package produces.
"""
