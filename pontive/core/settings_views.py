"""Admin settings every area relies on: the letterhead of all letters and the holiday calendar."""

from __future__ import annotations

import datetime as dt

from flask import Blueprint, abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from pontive.accounts.roles import Role
from pontive.core import services
from pontive.core.forms import ButtonForm, HolidayForm, LetterheadForm
from pontive.core.htmx import render, wants_fragment
from pontive.core.letters import pdf_response, render_pdf
from pontive.core.models import Holiday
from pontive.core.nav import NavItem, register
from pontive.core.permissions import roles_required
from pontive.core.uploads import UploadError, human_size, max_upload_bytes
from pontive.extensions import db

bp = Blueprint("settings", __name__, url_prefix="/admin")

register(
    NavItem("Kop surat", "settings.letterhead", group="Admin", order=905),
    NavItem("Hari libur", "settings.holidays", group="Admin", order=906),
)


# --- letterhead ------------------------------------------------------------------------------


@bp.route("/kop-surat", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def letterhead():
    saved = services.get_letterhead(db.session)
    form = LetterheadForm(obj=saved or services.current_letterhead(db.session))
    if form.validate_on_submit():
        try:
            services.save_letterhead(db.session, current_user, form.data_for_service(), form.logo.data)
        except UploadError as exc:
            form.logo.errors.append(str(exc))
        except services.SettingsError as exc:
            form.government.errors.append(str(exc))
        else:
            flash(_("Kop surat disimpan. Periksa hasilnya pada contoh surat."), "success")
            return redirect(url_for("settings.letterhead"))
    letterhead = services.current_letterhead(db.session)
    status = 422 if form.errors else 200
    return render(
        "settings/letterhead.html",
        form=form,
        letterhead=letterhead,
        saved=saved is not None,
        max_upload=human_size(max_upload_bytes()),
    ), status


def sample_letter_context(today: dt.date) -> dict:
    return {
        "number": f"000.1.2/001/Diskominfo/{today.year}",
        "date": today,
        "subject": "Contoh Surat",
        "recipient": "Kepala Badan Kepegawaian dan Pengembangan Sumber Daya Manusia",
        "recipient_place": "Tempat",
        "signer_title": "Kepala Dinas",
        "signer_name": "NAMA PEJABAT",
        "signer_rank": "Pembina Utama Muda",
        "signer_nip": "19700101 199503 1 001",
        "copies": ["Wali Kota (sebagai laporan)", "Sekretaris Daerah"],
    }


@bp.route("/kop-surat/contoh.pdf")
@roles_required(Role.ADMIN)
def letterhead_preview():
    pdf = render_pdf("letters/sample.html", **sample_letter_context(dt.date.today()))
    return pdf_response(pdf, "contoh-surat.pdf", inline=True)


# --- holidays --------------------------------------------------------------------------------


def _year_arg() -> int:
    year = request.args.get("tahun", type=int)
    if year is None or not 1900 <= year <= 2999:
        return dt.date.today().year
    return year


def _holiday_page(year: int, form: HolidayForm, status: int = 200):
    return render(
        "settings/holidays.html",
        "holiday_list",
        year=year,
        holidays=services.holidays_in_year(db.session, year),
        kinds=services.HOLIDAY_KINDS,
        form=form,
        button_form=ButtonForm(),
    ), status


@bp.route("/hari-libur")
@roles_required(Role.ADMIN)
def holidays():
    return _holiday_page(_year_arg(), HolidayForm())


@bp.route("/hari-libur", methods=["POST"])
@roles_required(Role.ADMIN)
def holiday_add():
    form = HolidayForm()
    year = _year_arg()
    if form.validate_on_submit():
        try:
            holiday = services.add_holiday(db.session, current_user, form.date.data, form.kind.data, form.name.data)
        except services.SettingsError as exc:
            form.date.errors.append(str(exc))
        else:
            flash(_("Hari libur ditambahkan."), "success")
            return redirect(url_for("settings.holidays", tahun=holiday.date.year))
        year = form.date.data.year
    return _holiday_page(year, form, 422)


@bp.route("/hari-libur/<int:holiday_id>/hapus", methods=["POST"])
@roles_required(Role.ADMIN)
def holiday_delete(holiday_id: int):
    holiday = db.session.get(Holiday, holiday_id)
    if holiday is None:
        abort(404)
    year = holiday.date.year
    if not ButtonForm().validate_on_submit():
        abort(400)
    services.delete_holiday(db.session, current_user, holiday)
    if wants_fragment():
        return ""  # htmx swaps the row out
    flash(_("Hari libur dihapus."), "success")
    return redirect(url_for("settings.holidays", tahun=year))
