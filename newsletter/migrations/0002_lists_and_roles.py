"""The two lists every newsroom starts with, and the Editor role's newsletter permissions."""

from django.db import migrations

LISTS = [
    {
        "slug": "daily-digest",
        "name": "Daily digest",
        "description": "The day's top stories, every morning.",
        "position": 0,
        # A second copy of a digest is a nuisance; its Message-ID is the same, so most
        # providers drop it. Resending keeps every reader's digest.
        "uncertain_policy": "resend",
    },
    {
        "slug": "breaking-news",
        "name": "Breaking news",
        "description": "An alert when big news breaks.",
        "position": 1,
        # An alert that arrives twice looks like a second event; one in doubt is skipped.
        "uncertain_policy": "skip",
    },
]

EDITOR = [
    f"{action}_{model}"
    for model in ("list", "edition", "editionarticle")
    for action in ("add", "change", "delete", "view")
] + [
    "view_subscriber",
    "change_subscriber",
    "view_subscription",
    "add_suppression",
    "change_suppression",
    "view_suppression",
    "view_delivery",
    "send_edition",
]


def forwards(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    app_config = apps.get_app_config("newsletter")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None

    List = apps.get_model("newsletter", "List")
    for values in LISTS:
        List.objects.get_or_create(slug=values["slug"], defaults=values)

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    editor, _ = Group.objects.get_or_create(name="Editor")
    permissions = Permission.objects.filter(
        content_type__app_label="newsletter", codename__in=EDITOR
    )
    missing = set(EDITOR) - set(permissions.values_list("codename", flat=True))
    if missing:
        raise RuntimeError(f"Editor: unknown newsletter permissions {sorted(missing)}")
    editor.permissions.add(*permissions)


def backwards(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    editor = Group.objects.filter(name="Editor").first()
    if editor:
        editor.permissions.remove(
            *Permission.objects.filter(content_type__app_label="newsletter", codename__in=EDITOR)
        )


class Migration(migrations.Migration):
    dependencies = [
        ("newsletter", "0001_initial"),
        ("articles", "0002_roles"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
