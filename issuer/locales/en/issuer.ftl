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
error-bad-request-help = Go back to the previous page, check what was typed, then try again.
error-badge-not-found = Badge not found
error-badge-not-found-help = No badge matches this link. Check that it was copied whole, without a typo, or ask the organisation that awarded the badge for a new link.
error-gone = This badge was withdrawn
error-gone-help = The organisation that awarded it withdrew it: it is no longer valid.
error-too-large = Too large
error-too-large-help = What you sent is over the size allowed. Go back to the previous page and choose a smaller file.
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
designer-image-hint = PNG, JPEG or SVG, 20 MB at most (a phone photo will do, it is scaled down). Without an image, a design is made with the badge name.
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
claim-title = See my badge
claim-unknown = This code does not match any badge. Check the letters and digits, then try again.
claim-throttled = Too many attempts with a wrong code. Wait a few minutes, or ask your facilitator for help.
claim-welcome = Well done, you have earned a badge!
claim-given-by = Issued by { $issuer }
claim-name-question = Do you want your name written on the badge?
claim-name-help = If your name is written, an employer will see it. If not, they can still check that the badge is yours when you tell them your name.
claim-name-yes = Yes, write "{ $name }" on the badge
claim-name-no = No, do not write my name
claim-submit = See my badge

## Badge page (participant)

credential-claimed = Your badge is ready. You can download it, print it or share it.
credential-revoked = This badge was withdrawn by { $issuer } on { $date }.
credential-revoked-reason = Reason: { $reason }
credential-issued-by = Issued by { $issuer }
credential-issuer-website = website
credential-issued-on = On { $date }
credential-holder = Issued to { $name }
credential-holder-hidden = The person's name is not written on this badge, to protect their privacy.
credential-meaning = What this badge shows
credential-actions = My badge
credential-download = Download my badge
credential-print = Print my certificate
credential-share = Share with an employer
credential-share-link = Link to my badge
credential-copy = Copy the link
credential-copied = The link has been copied.
credential-share-mail = Send by email
credential-share-linkedin = Add to my LinkedIn profile
credential-check = Check this badge
credential-check-help = This badge is signed by the organisation. Anyone can check that it is genuine.
credential-verify = Check this badge online
credential-json = The badge as JSON (for software)
credential-jwt = The badge in compact format (for software)
share-mail-subject = My badge: { $name }
share-mail-body = Hello, here is my badge "{ $name }" issued by { $issuer }: { $url }

## Awarding a badge

award-one-heading = Award this badge to one person
award-one-error = The badge was not awarded.
award-name = First and last name
award-email = Email address (optional)
award-email-hint = Without an email, you will get a code to print for the person.
award-email-short = Email
award-consent = The person agrees to have their name written on the badge
award-consent-hint = Otherwise their name is protected: only someone who already knows it can check that the badge is theirs. They can change their mind when they open their badge.
award-narrative = What the person did (optional)
award-advanced = Advanced options
award-language = Language of the e-mail sent to the person
award-language-fr = Français (French)
award-language-en = English
award-format = Badge format
award-format-di = Standard format (recommended)
award-format-jwt = Compact format
award-submit = Award the badge
award-done = The badge has been awarded to { $name }.
award-recipient = Person
award-date = Date
award-name-shown = Name written on the badge
award-status = Status
award-status-valid = Valid
award-status-revoked = Withdrawn on { $date }
award-revocation-reason = Reason: { $reason }
award-public-page = See the badge page
award-claim-heading = Code to collect the badge
award-claim-help = The person types this code on the site, or scans the QR code, to see and download their badge, without an account. It is also in the e-mail when they have one.
award-claim-qr-alt = QR code that opens the badge, code { $code }
award-claimed = The person has already opened their badge.
award-not-claimed = The person has not opened their badge yet.
award-claim-print = To print this code, use your browser's print function.
yes = Yes
no = No

## Withdrawing a badge

revoke-heading = Withdraw this badge
revoke-help = Withdraw a badge only if it was awarded by mistake. An employer who checks it will see that it was withdrawn.
revoke-reason = Reason for withdrawing
revoke-reason-hint = Anyone who checks the badge will see this reason. Do not write personal information in it.
revoke-submit = Withdraw the badge
revoke-done = The badge has been withdrawn. Checks show it from now on.

## CSV import

csv-heading = Award this badge to several people (CSV file)
csv-help = A spreadsheet saved as CSV, with one row per person and the column names on the first line.
csv-columns-hint = Columns understood: Last name and First name (or Full name), E-mail (or Courriel), Comment, Evidence (a link), Language (French or English, for the e-mail; empty: French). Excel "CSV (semicolon separated)" works, as does CSV UTF-8.
csv-mapping-caption = How the file's columns are read
csv-mapping-column = Column of the file
csv-mapping-use = Read as
csv-use-name = Full name
csv-use-first-name = First name
csv-use-last-name = Last name
csv-use-email = E-mail address
csv-use-narrative = Comment
csv-use-evidence = Link to evidence
csv-use-language = Language of the e-mail
csv-use-none = Not used
csv-error-file-too-large = The file is too large (at most { $number } KB).
csv-error-too-many-rows = More than { $number } rows: split the file.
csv-error-no-rows = The file has nobody in it.
csv-error-no-name-column = No name column: add a "Name" column (or "First name" and "Last name") on the first line.
csv-error-unequal-fields = This row does not have as many cells as the first line ({ $number } cells).
csv-error-unreadable = This row cannot be read.
csv-error-name-required = The name is missing.
csv-error-name-too-long = The name is too long (at most { $number } characters).
csv-error-email-invalid = This is not an e-mail address.
csv-error-narrative-too-long = The comment is too long (at most { $number } characters).
csv-error-evidence-url-invalid = This is not a web link (http:// or https://).
csv-error-language-invalid = Unknown language: write "English" or "French" (or leave the cell empty for French).
csv-file = CSV file
csv-check = Check the file
csv-preview-title = Checking the file
csv-errors = { $count } problem(s) in the file. Nothing was awarded.
csv-errors-caption = The rows to fix
csv-line = Row
csv-language = Language of the e-mail
csv-language-fr = French
csv-language-en = English
csv-field = Column
csv-reason = Problem
csv-fix-and-retry = Fix the file and try again
csv-ready = The file is correct: { $awarded } person(s) will receive the badge.
csv-already-imported = { $count } person(s) already received it from an earlier upload of this file: nothing will be awarded to them a second time.
csv-rows-caption = The people in the file
csv-confirm = Award the badge to { $count } person(s)
csv-cancel = Cancel
csv-done-title = Badges awarded
csv-done = { $awarded } badge(s) awarded. { $skipped } person(s) already had it.
csv-flagged-heading = People listed twice
csv-flagged-help = These people already have this badge, or appear more than once in the file. Choose: do not award the badge to them a second time, or award it anyway.
csv-flagged-caption = The people listed twice
csv-why = Why
csv-flag-holds-badge = This person already has this badge.
csv-flag-duplicate-row = The same person is already on line { $number }.
csv-flag-already-imported = Already awarded by an earlier upload of this file.
csv-confirm-skip = Award the badge to { $count } person(s), without the duplicates
csv-confirm-anyway = Award the badge to { $count } person(s), duplicates included
csv-skipped-caption = The people who did not receive the badge this time
csv-awarded-anyway-caption = The people listed twice who were awarded the badge anyway
back-to-dashboard = Back to the dashboard

## Dashboard: awarded badges

dashboard-awards = Latest badges awarded
dashboard-awards-caption = The last 30 badges awarded
dashboard-no-awards = No badges awarded yet.
dashboard-unclaimed = { $count } badge(s) not yet collected by the participants.
detail-badge = Badge
status-valid = Valid
status-revoked = Withdrawn
status-not-claimed = Not yet collected

## Workshops

dashboard-workshops = My workshops
workshops-title = Workshops
workshops-none = No workshops yet.
workshop-new = New workshop
workshop-new-error = The workshop was not created.
workshop-needs-badge = First create the badge the workshop leads to.
workshop-title-label = Workshop name
workshop-title-hint = For example: Doing administrative procedures online, Tuesday group.
workshop-badge = Badge earned at the end
workshop-sessions = Number of sessions
workshop-create = Create the workshop
workshop-summary = Badge: { $badge }. { $sessions } session(s).
workshop-attendance = Attendance
workshop-attendance-caption = Tick the sessions each person attended.
workshop-attendance-saved = Attendance has been saved.
workshop-session = Session { $number }
workshop-present-label = { $name } present at session { $number }
workshop-no-email = no email
workshop-email-in-english = e-mail in English
workshop-has-badge = Badge awarded
workshop-no-badge = Not yet
workshop-save-attendance = Save attendance
workshop-qualifying = { $count } person(s) attended every session and do not have the badge yet.
workshop-award-all = Award the badge to everyone who attended every session
workshop-award-hint = The boxes ticked above are saved when the badge is awarded: no need to save first.
workshop-awarded-none = No badge awarded this time.
workshop-awarded = { $count } badge(s) awarded.
workshop-skipped-already = { $name } already received the badge.
workshop-skipped-missed = { $name } did not receive the badge: missed session { $sessions }.
workshop-no-participants = No participants yet. Add them below.
workshop-dates = Session dates
workshop-dates-save = Save the dates
workshop-dates-saved = The dates are saved.
workshop-date-invalid = A date is not valid: pick it from the calendar.
workshop-add-participant = Add a participant
workshop-add = Add

## Erasing data

erased-title = Badge withdrawn, data erased
erased-text = This badge was withdrawn by { $issuer } and the person's data has been erased.
erase-heading = Erase this person's data
erase-help = At the person's request: their name, email and badge are erased, and the badge is withdrawn. This cannot be undone.
erase-confirm = I confirm erasing the data of { $name }
erase-submit = Erase the data
erase-done = The person's data has been erased and the badge withdrawn. A copy of the badge checked elsewhere will show as withdrawn.
erase-confirm-missing = Tick the box to confirm the erasure.
designer-image-too-large = The image is too large: 20 MB and 4096 × 4096 pixels at most. What you typed is kept: choose another image or none.
designer-image-unsupported = The image must be a PNG, JPEG or SVG file.
designer-image-undecodable = The image could not be read ({ $reason }).
designer-image-unsafe = The SVG image is refused to keep visitors safe: { $reason }.

## Signing keys (administrators)

keys-title = Signing keys
keys-help = These keys sign the organisation's badges. Former keys stay published: badges already awarded stay valid.
keys-rotated = The new key is active. The next badges will be signed with it.
keys-caption = The keys, active and retired
keys-algorithm = Algorithm
keys-id = Identifier
keys-created = Created on
keys-active = Active
keys-retired = Retired on { $date }
keys-rotate-heading = Change key
keys-rotate-help = Change key if you think it may have been copied, or as your organisation's policy requires.
keys-rotate-ed25519 = New key for the standard format
keys-rotate-rs256 = New key for the compact format

## Network and member organisations

members-title = The network's organisations
members-help = Each organisation awards its own badges, with its own keys. You see their activity here, not their participants.
members-none = This network has no member organisation yet.
members-caption = Member organisations of { $network }
members-name = Organisation
members-awards = Badges awarded
members-last-award = Last badge awarded
members-never = None yet
members-link = Network organisations ({ $count })

delivery-heading = Sending to participants
delivery-smtp-missing = No mail server is set up: no e-mail goes out. Print the codes and hand them to the participants.
delivery-count-sent = { $count } e-mail(s) sent with the badge link.
delivery-count-failed = { $count } e-mail(s) could not be sent: give these people their code, or send the e-mail again from their page.
delivery-count-no-address = { $count } person(s) without an e-mail address: give them their code.
delivery-count-no-smtp = { $count } person(s) with an e-mail address received nothing, as no mail server is set up: give them their code.
delivery-codes-help = These people need their code to get their badge:
delivery-codes-caption = Codes to hand out
delivery-code = Code
delivery-unknown = Sending not tracked (badge awarded before sending was tracked).
delivery-sent = E-mail sent on { $date }.
delivery-failed = The e-mail could not be sent: { $reason } Give the code to the person or send the e-mail again.
delivery-why-rejected = the mail server refused it (address does not exist or mailbox full?).
delivery-why-auth = the mail server refused the user name or password. Whoever runs this service must check them in the ISSUER_SMTP_URL setting.
delivery-why-unreachable = the mail server does not answer.
delivery-why-address = the e-mail address is not valid.
delivery-why-no_smtp = no mail server is set up.
delivery-no-address = No e-mail address: give the person their code to get the badge, shown higher up on this page.
delivery-no-smtp = No e-mail sent (no mail server set up): give the person their code to get the badge, shown higher up on this page.
delivery-resend = Send the e-mail again
delivery-resent = Sent again. The result is below.

# Text refused because of a control character (issuer::text).
text-control-character = The field “{ $field }” contains a line break, a tab or another invisible character ({ $character }), which is not accepted here. Remove it and try again.
csv-control-character = Contains a line break, a tab or another invisible character ({ $character }): remove it.
field-name = Name
field-recipient-name = First and last name
field-recipient-email = Participant's e-mail address
field-email = E-mail address
field-narrative = What the participant did
field-evidence-url = Link to evidence
field-reason = Reason
field-description = Description
field-criteria-narrative = Criteria
field-tags = Keywords
field-achievement-type = Badge type
field-title = Title
field-label = Session name
field-display-name = Display name
field-address = Address
field-url = Website
field-image = Image
field-request = Request

award-duplicate-short = This person already has this badge: nothing was awarded.
award-duplicate-see = See their badge
award-duplicate-anyway = Award a second time anyway
workshop-duplicate-participant = { $name } is already in this workshop. Tick "Add anyway" if this is someone else.
workshop-add-anyway = Add anyway (someone else with the same name)
workshop-invalid-language = Choose the language of the e-mail: French or English.
workshop-invalid-form = Check the form: a workshop name (at most 200 characters), a badge chosen from the list and 1 to 20 sessions.
workshop-too-many-participants = This workshop already has 200 participants, the most it can have: create another workshop.
workshop-skipped-holds = { $name } was not awarded: this person already holds the badge (awarded elsewhere). Tick "Award them too" to award anyway.
workshop-award-anyway = Award them too, to people who already hold this badge
awards-title = Awarded badges
awards-search = Find a person
awards-search-hint = Part of the name, the e-mail address or the badge's code.
awards-all-badges = All badges
awards-workshop = Workshop
awards-all-workshops = All workshops
awards-search-submit = Search
awards-found = { $count } badge(s) found.
awards-page-of = Page { $page } of { $pages }
awards-pages = Result pages
awards-previous = Previous page
awards-next = Next page
awards-all-link = See and search every awarded badge
awards-of-workshop = The badges awarded in this workshop
awards-of-badge = The people who received this badge
award-format-hint = The standard format works everywhere. The compact format is only for partner software that asks for it.
award-invalid-name = Write the person's name (at most 200 characters).
award-invalid-email = The e-mail address is not valid: check it, or leave the box empty.
award-invalid-narrative = The text "what the person did" is too long.
award-invalid-other = Check the form's boxes, then try again.
sheet-title = Codes to print and cut out
sheet-help = One card per person who did not receive their badge by e-mail. Print this page (A4 sheet), cut out the cards and hand them out.
sheet-empty = Nobody needs a code: everyone received their badge by e-mail.
sheet-link = Print the codes (sheet to cut out)
sheet-hello = Hello { $name },
sheet-badge = { $org } has awarded you the badge "{ $badge }".
sheet-scan = To see it, scan this QR code with your phone,
sheet-go = or go to { $address } and type this code:

## Award e-mail (plain text)

mail-award-subject = Your badge "{ $badge }"
mail-award-body =
    Hello { $name },

    { $org } has awarded you the badge "{ $badge }".
    To view, download and share it, open this link:
    { $url }

    Or type this code on the site: { $code }

    Keep this message: this link leads to your badge.
