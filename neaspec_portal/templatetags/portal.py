"""Template helpers shared by every app."""

from django import forms, template

from neaspec_portal import dates

register = template.Library()


@register.filter
def bootstrap(field: forms.BoundField) -> str:
    """Render a form field's widget with Bootstrap classes and its help and error ids."""
    widget = field.field.widget
    if isinstance(widget, forms.CheckboxInput):
        css = "form-check-input"
    elif isinstance(widget, forms.Select | forms.SelectMultiple):
        css = "form-select"
    else:
        css = "form-control"
    if field.errors:
        css += " is-invalid"
    described_by = []
    if field.help_text:
        described_by.append(f"{field.auto_id}_helptext")
    if field.errors:
        described_by.append(f"{field.auto_id}_errors")
    attrs: dict[str, str | bool] = {"class": f"{widget.attrs.get('class', '')} {css}".strip()}
    if described_by:
        attrs["aria-describedby"] = " ".join(described_by)
    if field.errors:
        attrs["aria-invalid"] = "true"
    return field.as_widget(attrs=attrs)


# Dates: ISO in data contexts, the reader's long form in prose (see neaspec_portal.dates).
register.filter("iso_date", dates.iso_date)
register.filter("iso_datetime", dates.iso_datetime)
register.filter("long_date", dates.long_date)
