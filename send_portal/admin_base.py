"""What every app's admin builds on: read-only models, and lists whose inputs are named."""

from django.contrib import admin


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
