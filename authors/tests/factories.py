import importlib

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission

from authors.models import Author


def _migrated_grants() -> dict[str, dict[str, list[str]]]:
    """{role: {app_label: codenames}} as the data migrations grant them, every app's."""
    migration = importlib.import_module
    grants: dict[str, dict[str, list[str]]] = {
        role: {app: list(codenames) for app, codenames in apps.items()}
        for role, apps in migration("articles.migrations.0002_roles").ROLES.items()
    }
    for role, codenames in migration("comments.migrations.0002_roles").GRANTS.items():
        grants[role].setdefault("comments", []).extend(codenames)
    for app, module in (
        ("newsletter", "newsletter.migrations.0002_lists_and_roles"),
        ("webhooks", "webhooks.migrations.0002_editor_permissions"),
    ):
        grants["Editor"].setdefault(app, []).extend(migration(module).EDITOR)
    return grants


def role_group(name: str) -> Group:
    """The role's group. The groups come from data migrations, which the flush after a test
    that commits removes: then the group is made again as those migrations made it."""
    group = Group.objects.filter(name=name).first()
    if group is not None:
        return group
    group = Group.objects.create(name=name)
    for app_label, codenames in _migrated_grants()[name].items():
        group.permissions.add(
            *Permission.objects.filter(content_type__app_label=app_label, codename__in=codenames)
        )
    return group


class UserFactory(factory.django.DjangoModelFactory):
    """A staff account; give it a role with a trait: UserFactory(editor=True)."""

    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@newsroom.example")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    is_staff = True
    password = factory.PostGenerationMethodCall("set_password", "correct horse battery")

    class Params:
        reporter = factory.Trait(groups__role="Reporter")
        editor = factory.Trait(groups__role="Editor")
        moderator = factory.Trait(groups__role="Moderator")
        admin = factory.Trait(is_superuser=True)

    @factory.post_generation
    def groups(self, create, extracted, **kwargs):
        """Role group names, e.g. UserFactory(groups=["Editor"]) or a trait."""
        names = list(extracted or []) + ([kwargs["role"]] if kwargs.get("role") else [])
        if create and names:
            self.groups.add(*(role_group(name) for name in names))
        if create:
            self.save()


class AuthorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Author
        django_get_or_create = ("slug",)

    name = factory.Faker("name")
    slug = factory.Sequence(lambda n: f"author-{n}")
    job_title = "Correspondent"
    bio = "Covers the city.\n\nPreviously at the business desk."
    email = factory.LazyAttribute(lambda a: f"{a.slug}@newsroom.example")

    class Params:
        with_user = factory.Trait(user=factory.SubFactory(UserFactory, reporter=True))
