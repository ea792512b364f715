"""Pontive: the portal a city's Diskominfo runs its e-government programmer team with."""

from __future__ import annotations

import logging
from typing import Any

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from pontive.config import PROJECT_ROOT, Config, load_secret_key

__version__ = "0.1.0"


def create_app(config: type[Config] | dict[str, Any] | None = None) -> Flask:
    app = Flask(
        __name__,
        template_folder=str(PROJECT_ROOT / "templates"),
        static_folder=str(PROJECT_ROOT / "static"),
        instance_path=str(Config.INSTANCE_DIR),
    )
    app.config.from_object(Config)
    if isinstance(config, dict):
        app.config.update(config)
    elif config is not None:
        app.config.from_object(config)
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = load_secret_key(app.config["INSTANCE_DIR"])
    app.config.setdefault("BABEL_TRANSLATION_DIRECTORIES", str(PROJECT_ROOT / "pontive" / "translations"))
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        # SQLite serialises writers; wait for the lock rather than fail (busy_timeout is set too).
        app.config["SQLALCHEMY_ENGINE_OPTIONS"] = {"connect_args": {"timeout": 15}}
    if app.config.get("PROXY_FIX", True):
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=1, x_proto=1, x_host=1)  # type: ignore[method-assign]
    if not app.debug and not app.testing:
        logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
        logging.getLogger("alembic.runtime.plugins").setLevel(logging.WARNING)

    _import_models()
    _init_extensions(app)
    _register_blueprints(app)

    from pontive.core import errors

    errors.init_app(app)

    from pontive import cli

    cli.init_app(app)

    from pontive.core import querycount

    querycount.init_app(app)  # X-Query-Count, only when PONTIVE_QUERY_COUNT=1 (make bench)

    from pontive.core import workerid

    if workerid.enabled(app):  # X-Pontive-Worker, only when PONTIVE_WORKER_ID_HEADER=1 (tests/reliability)
        app.after_request(workerid.add_header)
    return app


def _init_extensions(app: Flask) -> None:
    from pontive.core import assets, i18n, nav, permissions, security
    from pontive.extensions import babel, csrf, db, htmx, limiter, login_manager, migrate

    app.session_interface = security.SessionInterface()
    db.init_app(app)
    migrate.init_app(app, db, render_as_batch=True, compare_type=True)
    login_manager.init_app(app)
    # Access is checked before CSRF, so a stranger is told 403 before a token is even read.
    app.before_request(permissions.enforce_access)
    csrf.init_app(app)
    htmx.init_app(app)
    limiter.init_app(app)
    babel.init_app(app, locale_selector=i18n.select_locale, timezone_selector=i18n.select_timezone)
    assets.init_app(app)
    i18n.init_app(app)
    nav.init_app(app)
    app.after_request(security.set_security_headers)

    from pontive.accounts import services as account_services

    login_manager.user_loader(account_services.load_user_from_session)
    login_manager.login_view = "accounts.login"
    login_manager.login_message = None
    login_manager.session_protection = "basic"


def _import_models() -> None:
    """Every area's models, so that the mappers and Alembic's autogenerate see the whole schema."""
    import pontive.accounts.models
    import pontive.catalogue.models
    import pontive.contracts.models
    import pontive.core.models
    import pontive.performance.models
    import pontive.recruitment.models
    import pontive.team.models  # noqa: F401


def _register_blueprints(app: Flask) -> None:
    from pontive.accounts.views import admin_bp
    from pontive.accounts.views import bp as accounts_bp
    from pontive.api.token_views import tokens_bp
    from pontive.api.views import bp as api_bp
    from pontive.catalogue.views import bp as catalogue_bp
    from pontive.contracts.views import bp as contracts_bp  # its module registers the contract cards
    from pontive.contracts.worker_views import bp as my_contract_bp  # and the worker's card
    from pontive.core.files import bp as files_bp
    from pontive.core.settings_views import bp as settings_bp
    from pontive.core.views import bp as core_bp
    from pontive.dashboard.views import bp as dashboard_bp
    from pontive.performance.review_views import bp as reviews_bp
    from pontive.performance.views import bp as performance_bp
    from pontive.recruitment.admin_views import bp as selection_admin_bp
    from pontive.recruitment.admin_views import ref_bp as selection_ref_bp
    from pontive.recruitment.panel_views import bp as selection_bp
    from pontive.recruitment.views import bp as recruitment_bp
    from pontive.team import cards as team_cards  # noqa: F401 - registers the team's dashboard cards
    from pontive.team.discipline_views import discipline_bp
    from pontive.team.meeting_views import bp as meetings_bp
    from pontive.team.views import bp as team_bp

    app.register_blueprint(core_bp)
    app.register_blueprint(accounts_bp)
    app.register_blueprint(api_bp)
    app.register_blueprint(tokens_bp)
    app.register_blueprint(admin_bp)
    app.register_blueprint(dashboard_bp)
    app.register_blueprint(reviews_bp)
    app.register_blueprint(performance_bp)
    app.register_blueprint(files_bp)
    app.register_blueprint(settings_bp)
    app.register_blueprint(selection_ref_bp)
    app.register_blueprint(selection_admin_bp)
    app.register_blueprint(selection_bp)
    app.register_blueprint(recruitment_bp)
    app.register_blueprint(meetings_bp)
    app.register_blueprint(discipline_bp)
    app.register_blueprint(team_bp)
    app.register_blueprint(catalogue_bp)
    app.register_blueprint(my_contract_bp)
    app.register_blueprint(contracts_bp)
