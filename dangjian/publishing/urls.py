from django.urls import path

from dangjian.publishing import feeds, views

app_name = "publishing"
urlpatterns = [
    # the public site (no login)
    path("", views.home, name="home"),
    path("section/<slug:section>/", views.category, name="category"),
    path("schools/", views.schools, name="schools"),
    path("subscribe/", views.subscribe, name="subscribe"),
    path("schools/<int:pk>/", views.school, name="school"),
    path("posts/<int:pk>/", views.post, name="post"),
    path("posts/<int:pk>/qr.png", views.post_qr, name="post_qr"),
    path("posts/<int:pk>/card.png", views.post_card, name="post_card"),
    path("posts/<int:pk>/cover", views.post_cover, name="post_cover"),
    path("attachments/<int:pk>/", views.attachment, name="attachment"),
    path("search/", views.search, name="search"),
    path("feed/rss.xml", feeds.CountyFeed(), name="feed_rss"),
    path("feed/atom.xml", feeds.CountyAtomFeed(), name="feed_atom"),
    path("schools/<int:pk>/feed/rss.xml", feeds.SchoolFeed(), name="school_feed_rss"),
    path("schools/<int:pk>/feed/atom.xml", feeds.SchoolAtomFeed(), name="school_feed_atom"),
    path("sitemap.xml", views.sitemap, name="sitemap"),
    # management (signed in)
    path("manage/", views.manage, name="manage"),
    path("manage/new/", views.post_new, name="post_new"),
    path("manage/<int:pk>/", views.manage_post, name="manage_post"),
    path("manage/<int:pk>/edit/", views.post_edit, name="post_edit"),
    path("manage/<int:pk>/submit/", views.post_submit, name="post_submit"),
    path("manage/<int:pk>/approve/", views.post_approve, name="post_approve"),
    path("manage/<int:pk>/reject/", views.post_reject, name="post_reject"),
    path("manage/<int:pk>/feature/", views.post_feature, name="post_feature"),
    path("manage/<int:pk>/takedown/", views.post_takedown, name="post_takedown"),
    path("manage/<int:pk>/attach/", views.post_attach, name="post_attach"),
    path("manage/<int:pk>/link/", views.post_link, name="post_link"),
    path("manage/<int:pk>/image/", views.post_image, name="post_image"),
    path("manage/<int:pk>/wechat/", views.post_wechat, name="post_wechat"),
]
