"""The search form: a Riot id and the platform the player plays on."""

from __future__ import annotations

from typing import Any

from django import forms

from .riot import PLATFORMS, RiotIdError, parse_riot_id

__all__ = ["SearchForm"]

_PLATFORM_CHOICES = [(platform, f"{platform.upper()} ({region})") for platform, region in PLATFORMS.items()]


class SearchForm(forms.Form):
    riot_id = forms.CharField(
        label="Riot id",
        max_length=24,
        widget=forms.TextInput(attrs={"placeholder": "gameName#tagLine", "autofocus": True}),
    )
    platform = forms.ChoiceField(choices=_PLATFORM_CHOICES, initial="na1")

    def clean_riot_id(self) -> Any:
        try:
            return parse_riot_id(self.cleaned_data["riot_id"])
        except RiotIdError as exc:
            raise forms.ValidationError(str(exc)) from None
