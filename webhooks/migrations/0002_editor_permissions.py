"""Editors manage webhook endpoints and redeliver deliveries in the admin."""

from django.db import migrations

EDITOR = [
    "add_webhookendpoint",
    "change_webhookendpoint",
    "delete_webhookendpoint",
    "view_webhookendpoint",
    "change_webhookdelivery",
    "view_webhookdelivery",
    "view_webhookattempt",
]


def grant(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    app_config = apps.get_app_config("webhooks")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    editor, _ = Group.objects.get_or_create(name="Editor")
    permissions = Permission.objects.filter(content_type__app_label="webhooks", codename__in=EDITOR)
    missing = set(EDITOR) - set(permissions.values_list("codename", flat=True))
    if missing:
        raise RuntimeError(f"Editor: unknown permissions {sorted(missing)}")
    editor.permissions.add(*permissions)


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    editor = Group.objects.filter(name="Editor").first()
    if editor:
        editor.permissions.remove(
            *Permission.objects.filter(content_type__app_label="webhooks", codename__in=EDITOR)
        )


class Migration(migrations.Migration):
    dependencies = [
        ("webhooks", "0001_initial"),
        ("articles", "0002_roles"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
