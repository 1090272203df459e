from django.urls import path

from organizations import views_people as views

# Included by organizations/urls.py under /people/, in its namespace.
urlpatterns = [
    path("me/", views.my_memberships, name="people-my-memberships"),
    path("acting/", views.acting_switch, name="people-acting"),
    path("organizations/<int:pk>/", views.people_list, name="people-list"),
    path("organizations/<int:pk>/invite/", views.person_invite, name="people-invite"),
    path("memberships/<int:pk>/role/", views.membership_role_change, name="membership-role-change"),
    path("memberships/<int:pk>/remove/", views.membership_remove, name="membership-remove"),
    path("memberships/<int:pk>/resend/", views.invitation_resend, name="invitation-resend"),
    path("memberships/<int:pk>/deactivate/", views.person_deactivate, name="person-deactivate"),
    path("memberships/<int:pk>/reactivate/", views.person_reactivate, name="person-reactivate"),
    path(
        "invitation/<uidb64>/<token>/",
        views.InvitationSetPasswordView.as_view(),
        name="people-set-password",
    ),
]
