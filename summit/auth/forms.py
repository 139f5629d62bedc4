from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, HiddenField, PasswordField, StringField, SubmitField
from wtforms.validators import DataRequired, Email, Length


class LoginForm(FlaskForm):
    email = EmailField(_l("E-mail"), validators=[DataRequired(), Email(), Length(max=254)],
                       render_kw={"autocomplete": "username"})
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=200)],
                             render_kw={"autocomplete": "current-password"})
    remember = BooleanField(_l("Stay logged in on this device"))
    next = HiddenField()
    submit = SubmitField(_l("Log in"))


def _password(label, autocomplete):
    # The length rules live in the service (accounts); here only a bound on what is read.
    return PasswordField(label, validators=[DataRequired(), Length(max=1000)],
                         render_kw={"autocomplete": autocomplete})


class ForgotPasswordForm(FlaskForm):
    email = EmailField(_l("E-mail"), validators=[DataRequired(), Length(max=254)],
                       render_kw={"autocomplete": "username"})
    submit = SubmitField(_l("Send me a link"))


class NewPasswordForm(FlaskForm):
    new_password = _password(_l("New password"), "new-password")
    repeat_password = _password(_l("New password again"), "new-password")
    submit = SubmitField(_l("Save the new password"))


class ChangePasswordForm(NewPasswordForm):
    current_password = _password(_l("Current password"), "current-password")


class ChangeEmailForm(FlaskForm):
    email = EmailField(_l("New e-mail address"), validators=[DataRequired(), Length(max=254)],
                       render_kw={"autocomplete": "email"})
    current_password = _password(_l("Current password"), "current-password")
    submit = SubmitField(_l("Change the e-mail address"))


class CodeForm(FlaskForm):
    code = StringField(_l("Code"), validators=[DataRequired(), Length(max=20)],
                       render_kw={"autocomplete": "one-time-code", "spellcheck": "false"})
    submit = SubmitField(_l("Continue"))


class DisableTwoFactorForm(FlaskForm):
    current_password = _password(_l("Current password"), "current-password")
    code = StringField(_l("Code from your app or a recovery code"),
                       validators=[DataRequired(), Length(max=20)],
                       render_kw={"autocomplete": "one-time-code", "spellcheck": "false"})
    submit = SubmitField(_l("Switch two-factor log-in off"))
