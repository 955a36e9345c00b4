"""The Flask app: the JSON API, the search page and the OpenAPI description."""

from search.web.app import create_app

__all__ = ["create_app"]
