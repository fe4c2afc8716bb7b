"""Non-members (群众) imported without 所属党组织 at county level were put on the importing org, above their
school. They belong to their school's organization (issue 13): move those rows there."""

from django.db import migrations


def move_to_school(apps, schema_editor):
    Person = apps.get_model("orgs", "Person")
    misplaced = [
        person
        for person in Person._base_manager.filter(school__isnull=False, membership__isnull=True)
        .select_related("org", "school__org")
        .only("org__path", "school__org__path", "school__org_id")
        .iterator(chunk_size=2000)
        if person.org_id != person.school.org_id and person.school.org.path.startswith(person.org.path)
    ]
    for person in misplaced:
        person.org_id = person.school.org_id
    Person._base_manager.bulk_update(misplaced, ["org"], batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [("orgs", "0002_org_dissolved_on")]

    operations = [migrations.RunPython(move_to_school, migrations.RunPython.noop)]
