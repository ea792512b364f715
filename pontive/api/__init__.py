"""The JSON API /api/v1 (views, problems, auth, OpenAPI document) and the personal token pages."""
