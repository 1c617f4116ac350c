"""Forms of the owner portal: filing a request and rating a resolved one.

The forms only collect input; ``tickets.services`` decides (unit ownership, photos, whether a ticket can be
rated) and its ValidationErrors are shown on the form.
"""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from wuye.core.forms import BaseForm
from wuye.estates.models import Unit
from wuye.tickets import services
from wuye.tickets.choices import Satisfaction, TicketKind
from wuye.tickets.models import Ticket, TicketCategory

MAX_PHOTOS = 9


def resident_units(user):
    """The units the user's household occupies now."""
    return (Unit.objects.filter(Unit.resident_scope(user)).select_related("estate", "building")
            .distinct().order_by("estate__name", "code"))


def category_suits(category: TicketCategory, kind: str) -> bool:
    """A category with no kinds listed is offered for every kind."""
    return not category.kinds or kind in category.kinds


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class PhotosField(forms.FileField):
    """Several photos from one ``<input type=file multiple>``; a list of uploads (possibly empty)."""

    widget = MultipleFileInput

    def clean(self, data, initial=None):
        uploads = data if isinstance(data, (list, tuple)) else [data]
        uploads = [f for f in uploads if f]
        if not uploads and self.required:
            raise ValidationError(self.error_messages["required"], code="required")
        return [super(PhotosField, self).clean(f, initial) for f in uploads]


class CategorySelect(forms.Select):
    """Each option says which kinds it is offered for (``data-kinds``), so the page can hide the others."""

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex=subindex, attrs=attrs)
        instance = getattr(value, "instance", None)
        if instance is not None:
            option["attrs"]["data-kinds"] = " ".join(instance.kinds or [])
        return option


class TicketSubmitForm(BaseForm):
    unit = forms.ModelChoiceField(label=_("Your home"), queryset=Unit.objects.none(),
                                  empty_label=_("Choose your home"))
    kind = forms.ChoiceField(label=_("What is it about?"), choices=TicketKind.choices, widget=forms.RadioSelect,
                             initial=TicketKind.REPAIR)
    category = forms.ModelChoiceField(label=pgettext_lazy("portal", "Category"), queryset=TicketCategory.objects.none(),
                                      required=False, widget=CategorySelect,
                                      empty_label=pgettext_lazy("portal", "Not sure"))
    title = forms.CharField(label=_("In a few words"), max_length=Ticket._meta.get_field("title").max_length,
                            widget=forms.TextInput(attrs={"placeholder": _("e.g. The kitchen pipe is leaking")}))
    description = forms.CharField(label=_("More details"), required=False, widget=forms.Textarea(attrs={
        "rows": 4, "placeholder": _("What happened, since when, when someone can come in…")}))
    location = forms.CharField(label=_("Where exactly"), required=False,
                               max_length=Ticket._meta.get_field("location").max_length,
                               widget=forms.TextInput(attrs={"placeholder": _("e.g. kitchen, or the lift lobby")}))
    files = PhotosField(label=pgettext_lazy("portal", "Photos"), required=False,
                        help_text=_("Up to %(count)s photos; your phone offers its camera.") % {"count": MAX_PHOTOS})

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        units = resident_units(user)
        self.fields["unit"].queryset = units
        unit_list = list(units)
        self.unit_count = len(unit_list)
        self.only_unit = unit_list[0] if self.unit_count == 1 else None
        if self.only_unit is not None:
            self.fields["unit"].empty_label = None
            self.fields["unit"].initial = self.only_unit.pk
        # Categories are the company's reference data: every active one, narrowed to the kind in clean().
        self.fields["category"].queryset = TicketCategory.objects.filter(is_active=True).order_by("path")
        self.fields["files"].widget.attrs.update({"accept": "image/*", "class": "form-control form-control-lg"})

    def clean_files(self):
        photos = self.cleaned_data.get("files") or []
        if len(photos) > MAX_PHOTOS:
            raise ValidationError(_("Send at most %(count)s photos.") % {"count": MAX_PHOTOS})
        for photo in photos:
            # The service checks size and content again; here a photo must really be a photo (no PDF), and
            # a bad file is refused before anything is stored.
            try:
                services.validate_upload(photo, images_only=True)
            except ValidationError as exc:
                raise ValidationError(exc.message_dict.get("files", exc.messages)) from None
        return photos

    def clean(self):
        data = super().clean()
        category, kind = data.get("category"), data.get("kind")
        if category is not None and kind and not category_suits(category, kind):
            self.add_error("category", _("This category does not fit this kind of request."))
        return data


class RateForm(BaseForm):
    satisfaction = forms.TypedChoiceField(
        label=_("How satisfied are you?"), coerce=int, widget=forms.RadioSelect,
        choices=sorted(Satisfaction.choices, key=lambda c: -c[0]))
    comment = forms.CharField(label=pgettext_lazy("portal", "Comment"), required=False, max_length=1000,
                              widget=forms.Textarea(attrs={"rows": 3}))
