"""``change_from_form``: what every form page does with a post, in one place."""

from __future__ import annotations

from django import forms
from django.contrib.messages import get_messages
from django.contrib.messages.storage.cookie import CookieStorage
from django.test import RequestFactory

from send_portal.refusals import RefusedChange, change_from_form


class NameForm(forms.Form):
    name = forms.CharField()


def posted(data: dict | None):
    request = RequestFactory().post("/", data) if data is not None else RequestFactory().get("/")
    request._messages = CookieStorage(request)
    return request


def refuse(data):
    raise RefusedChange(f"{data['name']} is taken.")


def test_a_first_visit_and_a_form_with_errors_draw_the_page_again_and_change_nothing():
    changed = []
    for request, form in ((posted(None), NameForm()), (posted({}), NameForm({}))):
        done = change_from_form(request, form, changed.append, message="Saved.", then="/next/")
        assert done is None
        assert list(get_messages(request)) == []
    assert changed == []


def test_a_refusal_goes_on_the_form_by_the_error_summary():
    request = posted({"name": "Ada"})
    form = NameForm({"name": "Ada"})
    assert change_from_form(request, form, refuse, message="Saved.", then="/next/") is None
    assert form.non_field_errors() == ["Ada is taken."]
    assert list(get_messages(request)) == []


def test_a_change_made_says_so_and_goes_to_the_page_of_what_it_made():
    request = posted({"name": "Ada"})
    done = change_from_form(
        request,
        NameForm({"name": "Ada"}),
        lambda data: data["name"].upper(),
        message=lambda made: f"{made} is recorded.",
        then=lambda made: f"/people/{made}/",
    )
    assert done.status_code == 302 and done.url == "/people/ADA/"
    assert [str(message) for message in get_messages(request)] == ["ADA is recorded."]
