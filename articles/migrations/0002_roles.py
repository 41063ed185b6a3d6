"""Create the newsroom's roles as groups. Administrator is a superuser, not a group."""

from django.db import migrations

REPORTER = {
    "articles": [
        "add_article",
        "change_article",
        "view_article",
        "add_byline",
        "change_byline",
        "delete_byline",
        "view_byline",
        "add_relatedlink",
        "change_relatedlink",
        "delete_relatedlink",
        "view_relatedlink",
        "view_correction",
        "view_section",
        "add_changeproposal",
        "view_changeproposal",
        "add_previewlink",
        "view_previewlink",
    ],
    "authors": ["view_author"],
    "taggit": [
        "add_tag",
        "view_tag",
        "add_taggeditem",
        "change_taggeditem",
        "delete_taggeditem",
        "view_taggeditem",
    ],
}
EDITOR = {
    "articles": [
        f"{action}_{model}"
        for model in (
            "article",
            "byline",
            "relatedlink",
            "correction",
            "section",
            "slugredirect",
            "changeproposal",
            "previewlink",
        )
        for action in ("add", "change", "delete", "view")
    ]
    + ["view_workflowevent", "publish_article", "edit_any_article"],
    "authors": ["add_author", "change_author", "delete_author", "view_author"],
    "taggit": [
        f"{a}_{m}" for m in ("tag", "taggeditem") for a in ("add", "change", "delete", "view")
    ],
}
MODERATOR = {"articles": ["view_article", "view_section"], "authors": ["view_author"]}
ROLES = {"Reporter": REPORTER, "Editor": EDITOR, "Moderator": MODERATOR}


def create_roles(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    # Permissions are normally created after all migrations; make sure they exist now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for role, grants in ROLES.items():
        group, _ = Group.objects.get_or_create(name=role)
        for app_label, codenames in grants.items():
            permissions = Permission.objects.filter(
                content_type__app_label=app_label, codename__in=codenames
            )
            missing = set(codenames) - set(permissions.values_list("codename", flat=True))
            if missing:
                raise RuntimeError(f"{role}: unknown permissions {sorted(missing)}")
            group.permissions.add(*permissions)


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLES).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0001_initial"),
        ("authors", "0001_initial"),
        ("taggit", "0006_rename_taggeditem_content_type_object_id_taggit_tagg_content_8fc721_idx"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
