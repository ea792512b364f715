"""WSGI entry point: `gunicorn wsgi:app`, `flask --app wsgi ...`."""

from pontive import create_app

app = create_app()
