"""What every app's admin builds on: read-only models, and lists whose inputs are named."""

from django.contrib import admin
from django.core.exceptions import FieldDoesNotExist


class ReadOnlyAdmin(admin.ModelAdmin):
    """A model shown in the admin for reading only: its rows are written by the portal's own
    services (and, for some, protected by a database trigger), never by hand."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class NamedListEditableAdmin(admin.ModelAdmin):
    """A list whose rows can be edited in place (``list_editable``), each input named.

    Django draws those inputs with no label: a screen reader hears "edit text" in every
    row (WCAG 2.2, 1.3.1 and 4.1.2). Each input here is named after its column and its row,
    for example "Display order: Outcomes are specific".
    """

    def get_changelist_form(self, request, **kwargs):
        base = super().get_changelist_form(request, **kwargs)
        editable = tuple(self.list_editable)
        model = self.model

        class NamedRowForm(base):
            def __init__(self, *args, **kwargs):
                super().__init__(*args, **kwargs)
                row = str(self.instance)[:80] if self.instance.pk else "new row"
                for name in editable:
                    if name in self.fields:
                        column = model._meta.get_field(name).verbose_name
                        self.fields[name].widget.attrs["aria-label"] = (
                            f"{str(column).capitalize()}: {row}"
                        )

        return NamedRowForm


class NamedTabularInline(admin.TabularInline):
    """A table of related rows (a person's role assignments) whose inputs are named.

    Django's tabular inline heads each column once and leaves every input in it without a
    label (WCAG 2.2, 1.3.1 and 4.1.2); each input here is named after its column and its
    row, for example "Starts on, row 2".
    """

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        base_form = formset.form
        model = self.model

        class NamedRowForm(base_form):
            def __init__(self, *args, **kwargs):
                super().__init__(*args, **kwargs)
                index = (self.prefix or "").rsplit("-", 1)[-1]
                row = f"row {int(index) + 1}" if index.isdigit() else "new row"
                for name, field in self.fields.items():
                    try:
                        column = model._meta.get_field(name).verbose_name
                    except FieldDoesNotExist:  # a form-only field: its own label
                        column = field.label or name
                    # A related field's select sits inside Django's wrapper (the add and
                    # change links): name the select itself.
                    widget = getattr(field.widget, "widget", field.widget)
                    widget.attrs["aria-label"] = f"{str(column).capitalize()}, {row}"

        formset.form = NamedRowForm
        return formset


class ValuesFilter(admin.AllValuesFieldListFilter):
    """Django's filter by each value of a field, with the blank value named.

    Django draws a blank value as a link with no text (WCAG 2.2, 2.4.4 and 4.1.2: an
    audit event about nothing in particular has no target type); it reads "(none)" here.
    Use it as ``list_filter = (("target_type", ValuesFilter),)``.
    """

    BLANK = "(none)"

    def choices(self, changelist):
        for choice in super().choices(changelist):
            if not str(choice["display"]).strip():
                choice = {**choice, "display": self.BLANK}
            yield choice
