from django import forms


class CodeForm(forms.Form):
    code = forms.CharField(
        label="Code",
        max_length=20,
        strip=True,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )

    def clean_code(self):
        return "".join(self.cleaned_data["code"].split()).replace("-", "")
