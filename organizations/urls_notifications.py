from django.urls import path

from organizations import views_notifications as views

# Included by organizations/urls.py under /notifications/, in its namespace.
urlpatterns = [
    path("", views.inbox, name="notification-inbox"),
    path("count/", views.unread_count, name="notification-count"),
    path("read-all/", views.mark_all_read, name="notification-read-all"),
    path("settings/", views.preferences, name="notification-preferences"),
    path("<int:pk>/", views.notification_open, name="notification-open"),
]
