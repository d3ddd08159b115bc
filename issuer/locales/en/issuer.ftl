## Badge issuer: page texts (English).
## Short, plain sentences: facilitators are not developers, participants are
## often far from digital tools.

## Site

site-name = Digital badges
skip-to-content = Skip to content
nav-label = Main menu
lang-switch = Français
nav-logged-in-as = Logged in: { $name }
nav-logout = Log out
footer-text = Open Badges 3.0 badges: digital proof of the skills gained in workshops.

## Roles

role-admin = Administrator
role-facilitator = Facilitator

## Errors

error-not-found = Page not found
error-not-found-help = This page does not exist, or you do not have access to it.
error-forbidden = Not allowed
error-forbidden-help = You are not allowed to do this, or the form has expired. Reload the page and try again.
error-internal = Something went wrong
error-internal-help = Try again in a moment. If the problem continues, tell the administrator.
error-too-many = Too many attempts
error-too-many-help = Wait a few minutes before trying again.
error-bad-request = We could not do this
error-back-home = Back to the home page

## Home

home-title = Digital badges from workshops
home-intro = Here, digital inclusion organisations award badges that show the skills gained in workshops.
home-claim-heading = Have you received a code?
home-claim-help = Type the code your facilitator gave you to see your badge.
home-staff-heading = Are you a facilitator?

## Login

login-title = Log in
login-email = Email address
login-password = Password
login-submit = Log in
login-failed = The email address or the password is wrong.
login-throttled = Too many attempts. Wait a few minutes before trying again.

## Organisations

orgs-title = My organisations
orgs-none = You are not a member of any organisation yet. Ask an administrator to add you.

## Dashboard

dashboard-actions = Actions
dashboard-new-badge = Create a badge
dashboard-badges = The organisation's badges
dashboard-no-badges = No badges yet. Start by creating one.

## Badge designer

designer-title = Create a badge
designer-error = The badge was not created.
designer-name = Badge name
designer-name-hint = Short and clear, for example: Doing administrative procedures online.
designer-description = Description
designer-description-hint = What the badge shows, in one or two plain sentences.
designer-criteria = What it takes to earn it
designer-criteria-hint = For example: attended the three sessions of the workshop and created an online account.
designer-image = Badge image (optional)
designer-image-hint = PNG, JPEG or SVG, 2 MB at most. Without an image, a design is made with the badge name.
designer-type = Badge type
designer-tags = Keywords (optional)
designer-tags-hint = Separated by commas.
designer-language = Badge language
designer-competences = Digital competences (DigComp 2.2)
designer-competences-hint = Tick the competences practised in the workshop.
designer-preview = Preview
designer-submit = Create the badge

type-Badge = Badge
type-Competency = Competency
type-CertificateOfCompletion = Certificate of completion
type-Achievement = Achievement
type-Award = Award

## Badge

badge-created = The badge has been created.
badge-version = version { $version }
badge-criteria = What it took
badge-competences = Competences
badge-image-alt = Badge "{ $name }" issued by { $issuer }

## Badge code (participants)

claim-code-label = Your code
claim-code-hint = It is written on the paper your facilitator gave you, for example: K7QM-4XPA.
claim-code-submit = See my badge
