"""Word rules are matched in a form that folds look-alike letters with Unicode's confusables
data: store each rule's phrase again in that form."""

from django.db import migrations


def renormalize(apps, schema_editor):
    from comments.text import normalize_for_matching

    WordRule = apps.get_model("comments", "WordRule")
    seen, final, duplicates = set(), {}, []
    for rule in WordRule.objects.order_by("created_at", "pk"):
        key = (rule.kind, normalize_for_matching(rule.phrase))
        if key in seen:
            duplicates.append(rule.pk)  # two entries that now mean the same: the older stays
            continue
        seen.add(key)
        if key[1] != rule.normalized:
            final[rule.pk] = key
    WordRule.objects.filter(pk__in=duplicates).delete()
    # Through a placeholder, so no row takes a value another still holds.
    for pk in final:
        WordRule.objects.filter(pk=pk).update(normalized=f"~{pk}")
    for pk, (_kind, normalized) in final.items():
        WordRule.objects.filter(pk=pk).update(normalized=normalized)


class Migration(migrations.Migration):
    dependencies = [("comments", "0002_roles")]

    operations = [migrations.RunPython(renormalize, migrations.RunPython.noop)]
