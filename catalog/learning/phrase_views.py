"""Staff pages for residents' everyday phrases per life domain, beside the synonyms."""

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from catalog.learning import bp, phrases
from catalog.learning.forms import PhraseForm, ProposalForm
from catalog.services import get_domain_or_404
from welfare.errors import DomainError
from welfare.forms import show_domain_error


@bp.route("/phrases")
def domain_phrases():
    return render_template("catalog/learning/phrases.html", domains=phrases.domains_with_phrases())


@bp.route("/phrases/<code>", methods=["GET", "POST"])
def edit_domain_phrases(code: str):
    term = get_domain_or_404(code)
    form = PhraseForm()
    if form.validate_on_submit():
        try:
            phrases.add_phrase(term, form.phrase.data, current_user)
        except DomainError as exc:
            show_domain_error(form, exc)
        else:
            flash(_("Phrase added: the search recognises it from now on."), "success")
            return redirect(url_for("learning.edit_domain_phrases", code=code))
    return render_template(
        "catalog/learning/phrase_domain.html", term=term, form=form, phrases=phrases.phrases_of(term)
    )


@bp.route("/phrases/<code>/<int:phrase_id>/delete", methods=["POST"])
def remove_domain_phrase(code: str, phrase_id: int):
    phrases.remove_phrase(get_domain_or_404(code), phrase_id)  # CSRF: checked for every POST
    flash(_("Phrase removed."), "success")
    return redirect(url_for("learning.edit_domain_phrases", code=code))


@bp.route("/insights/phrase", methods=["POST"])
def accept_phrase():
    form = ProposalForm()
    if form.validate_on_submit():
        term = get_domain_or_404(form.domain.data)
        try:
            phrases.add_phrase(term, form.words.data, current_user, source="learned")
        except DomainError as exc:
            flash(exc.message, "error")
        else:
            flash(_("The search now recognises these words as %(domain)s.", domain=term.name), "success")
    else:
        flash(" ".join(str(e) for errors in form.errors.values() for e in errors), "error")
    return redirect(url_for("learning.insights"))
