from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from accounts import role_views, security_views, views

app_name = "accounts"

urlpatterns = [
    path("register/", views.register, name="register"),
    path("login/", security_views.SignInView.as_view(), name="login"),
    path("login/code/", security_views.two_factor_verify, name="two_factor_verify"),
    path("two-factor/", security_views.two_factor_setup, name="two_factor_setup"),
    path(
        "two-factor/recovery-codes/",
        security_views.two_factor_recovery_codes,
        name="two_factor_recovery_codes",
    ),
    path(
        "two-factor/recovery-codes/new/",
        security_views.two_factor_recovery_codes_renew,
        name="two_factor_recovery_codes_renew",
    ),
    path("two-factor/reset/", security_views.two_factor_reset, name="two_factor_reset"),
    path("tokens/new/", security_views.token_create, name="token_create"),
    path("tokens/<int:pk>/revoke/", security_views.token_revoke, name="token_revoke"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("profile/", views.profile, name="profile"),
    path("verify/", views.verification_queue, name="verification_queue"),
    path("verify/<int:pk>/approve/", views.verify_account, name="verify_account"),
    path("verify/<int:pk>/reject/", views.reject_account, name="reject_account"),
    path("roles/", role_views.roles_page, name="roles"),
    path("roles/focal-points/", role_views.focal_point_appoint, name="focal_point_appoint"),
    path(
        "roles/focal-points/<int:pk>/remove/",
        role_views.focal_point_remove,
        name="focal_point_remove",
    ),
    path("roles/secretariat/", role_views.secretariat_appoint, name="secretariat_appoint"),
    path(
        "roles/secretariat/<int:pk>/remove/",
        role_views.secretariat_remove,
        name="secretariat_remove",
    ),
    path(
        "password/reset/",
        auth_views.PasswordResetView.as_view(
            template_name="accounts/password_reset.html",
            email_template_name="emails/password-reset-body.txt",
            subject_template_name="emails/password-reset-subject.txt",
            success_url=reverse_lazy("accounts:password_reset_done"),
        ),
        name="password_reset",
    ),
    path(
        "password/reset/sent/",
        auth_views.PasswordResetDoneView.as_view(template_name="accounts/password_reset_done.html"),
        name="password_reset_done",
    ),
    path(
        "password/reset/<uidb64>/<token>/",
        security_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "password/reset/complete/",
        auth_views.PasswordResetCompleteView.as_view(
            template_name="accounts/password_reset_complete.html"
        ),
        name="password_reset_complete",
    ),
    path(
        "password/change/",
        security_views.PasswordChangeView.as_view(),
        name="password_change",
    ),
]
