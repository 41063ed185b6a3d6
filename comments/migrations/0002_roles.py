"""Give the Moderator and Editor roles (groups from articles 0002) the comment permissions."""

from django.db import migrations

MODERATION = [
    "view_comment",
    "change_comment",
    "moderate_comment",
    "erase_commenter",
    "view_moderationqueue",
    "change_moderationqueue",
    "view_flag",
    "view_moderationaction",
    "add_wordrule",
    "change_wordrule",
    "delete_wordrule",
    "view_wordrule",
    "add_ban",
    "change_ban",
    "delete_ban",
    "view_ban",
    "view_notificationrecipient",
    "view_maillog",
]
GRANTS = {
    "Moderator": MODERATION + ["view_moderationpolicy"],
    "Editor": MODERATION
    + [
        "delete_comment",
        "add_moderationpolicy",
        "change_moderationpolicy",
        "delete_moderationpolicy",
        "view_moderationpolicy",
    ],
}


def grant(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    # Permissions are normally created after all migrations; make sure ours exist now.
    app_config = apps.get_app_config("comments")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for role, codenames in GRANTS.items():
        group, _ = Group.objects.get_or_create(name=role)
        permissions = Permission.objects.filter(
            content_type__app_label="comments", codename__in=codenames
        )
        missing = set(codenames) - set(permissions.values_list("codename", flat=True))
        if missing:
            raise RuntimeError(f"{role}: unknown permissions {sorted(missing)}")
        group.permissions.add(*permissions)


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permissions = Permission.objects.filter(content_type__app_label="comments")
    for group in Group.objects.filter(name__in=GRANTS):
        group.permissions.remove(*permissions)


class Migration(migrations.Migration):
    dependencies = [
        ("comments", "0001_initial"),
        ("articles", "0002_roles"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
