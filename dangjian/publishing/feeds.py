"""RSS 2.0 and Atom feeds of public posts: the county's and each school's."""

from django.contrib.syndication.views import Feed
from django.http import Http404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext_lazy as _

from dangjian.core import rules
from dangjian.publishing import selectors


def _limit() -> int:
    return int(rules.rule_values("publishing", "publishing")["feed_items"])


class CountyFeed(Feed):
    description = _("全县教育系统党建工作动态")

    def title(self):
        root = selectors.public_root()
        return str(_("%(name)s · 工作动态") % {"name": root.name if root else _("工作动态")})

    def link(self):
        return reverse("publishing:home")

    def items(self):
        return selectors.public_posts()[: _limit()]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.summary

    def item_link(self, item):
        return reverse("publishing:post", args=[item.pk])

    def item_pubdate(self, item):
        return item.publish_at

    def item_updateddate(self, item):
        return item.publish_at

    def item_author_name(self, item):
        return item.publisher_name

    def item_categories(self, item):
        return [item.get_category_display()]


class CountyAtomFeed(CountyFeed):
    feed_type = Atom1Feed
    subtitle = CountyFeed.description


class SchoolFeed(CountyFeed):
    def get_object(self, request, pk):
        school = selectors.public_school(pk)
        if school is None:
            raise Http404
        return school

    def title(self, obj):
        return str(_("%(name)s · 工作动态") % {"name": obj.name})

    def link(self, obj):
        return reverse("publishing:school", args=[obj.pk])

    def description(self, obj):
        return str(_("%(name)s党建工作动态") % {"name": obj.name})

    def items(self, obj):
        return selectors.school_posts(obj)[: _limit()]


class SchoolAtomFeed(SchoolFeed):
    feed_type = Atom1Feed

    def subtitle(self, obj):
        return self.description(obj)
