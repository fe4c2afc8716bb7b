"""Start-up validation of rule data: a broken rule file stops the server, not a page at 3 a.m."""

from django.core.checks import Error, register

from dangjian.core import capabilities, rules


@register()
def rule_files_check(app_configs, **kwargs):
    errors = [Error(message, id="dangjian.E001") for message in capabilities.problems()]
    for app, name in rules.all_rule_files():
        try:
            rules.load(app, name)
        except (rules.RuleFileError, ValueError) as exc:
            errors.append(Error(str(exc), id="dangjian.E002"))
    return errors
