"""Non-members (群众) imported without 所属党组织 at county level were put on the importing org, above their
school. They belong to their school's organization (issue 13): move those rows there."""

from django.db import migrations
from django.db.models import F, OuterRef, Subquery


def move_to_school(apps, schema_editor):
    # One statement whatever the size: a province has hundreds of thousands of non-members to look at.
    Person = apps.get_model("orgs", "Person")
    School = apps.get_model("orgs", "School")
    misplaced = (
        Person._base_manager.filter(school__isnull=False, membership__isnull=True)
        .exclude(org_id=F("school__org_id"))
        .filter(school__org__path__startswith=F("org__path"))
    )
    misplaced.update(org_id=Subquery(School._base_manager.filter(pk=OuterRef("school_id")).values("org_id")[:1]))


class Migration(migrations.Migration):
    dependencies = [("orgs", "0002_org_dissolved_on")]

    operations = [migrations.RunPython(move_to_school, migrations.RunPython.noop)]
