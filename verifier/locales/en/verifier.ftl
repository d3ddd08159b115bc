## Badge verifier: page texts (English). Every message of the French file
## exists here too, with the same variables. check-* ids follow the report's
## codes (schema.valid becomes check-schema-valid).

## Site and navigation

site-name = Badge verifier
site-tagline = Check in a few seconds that a digital badge is genuine.
lang-switch = Français
lang-switch-label = Lire cette page en français
skip-to-content = Skip to content

## Page titles

page-title-home = Check a badge
page-title-result = Verification result
page-title-error = The check could not be done
page-title-certificate = Badge certificate

## Form: upload, paste, or give a link

form-intro = Choose one way to show us the badge.
form-upload-label = Upload the badge file
form-upload-help = An image (PNG or SVG) or a file received by email (JSON). Maximum size: { $size }.
form-upload-drop = Or drag the file here.
form-paste-label = Paste the badge text
form-paste-help = Copy all of the badge's text, then paste it here.
form-url-label = Badge link
form-url-help = The badge's web address, starting with https://
form-scan-label = Scan the QR code
form-scan-help = Show the badge's QR code to the camera.
form-or = or
form-submit = Check the badge
form-optional = (optional)

## Verdicts: the main answer, in one sentence

verdict-verified = This badge is genuine and valid.
verdict-verified-help = It was issued by the organisation shown and has not been changed.
verdict-label-ok = Verified
verdict-label-bad = Do not rely on it
verdict-label-warn = Check further
verdict-tampered = Warning: this badge has been changed.
verdict-tampered-help = Its content no longer matches what the organisation signed. Do not rely on it.
verdict-wrong-key = Warning: this badge was not signed by the organisation it shows.
verdict-wrong-key-help = The signature belongs to someone else. Do not rely on it.
verdict-key-unknown = We could not check this badge's signature.
verdict-key-unknown-help = The organisation's information cannot be reached. Try again later.
verdict-not-authentic = We could not confirm that this badge is genuine.
verdict-not-authentic-help = It has no valid signature from the organisation that issued it. Do not rely on it.
verdict-expired = This badge is genuine, but it expired on { $date }.
verdict-expired-help = It was issued by the organisation shown, but it is no longer valid.
verdict-not-yet-valid = This badge is genuine, but it is only valid from { $date }.
verdict-revoked = This badge has been withdrawn by the organisation that issued it.
verdict-revoked-reason = Reason given by the organisation: { $reason }
verdict-revoked-no-reason = The organisation gave no reason.
verdict-suspended = This badge is currently suspended by the organisation that issued it.
verdict-status-unknown = This badge is genuine, but we do not know whether it has been withdrawn.
verdict-status-unknown-help = The organisation's list of withdrawn badges cannot be reached. Try again later before relying on it.
verdict-invalid = This badge is genuine, but it is not valid.
verdict-invalid-help = A check failed: see the details of the checks below.
verdict-recipient-mismatch = This badge is genuine, but it was not issued to this person.
verdict-not-openbadge = This file is not a digital badge.
verdict-not-openbadge-help = We found no badge in this file. Check that you chose the right file.
verdict-openbadges-v2 = This badge uses the older Open Badges 2.0 version.
verdict-openbadges-v2-help = It does not hold the information needed to verify it. Ask the organisation for a recent version of this badge.
verdict-openbadges-v2-notice = This badge uses the older Open Badges 2.0 version: it was checked under the rules of that version.
verdict-openbadges-v1-notice = This badge uses the very old Open Badges 1.0 version: it was checked on the organisation's website, under the rules of version 2.0.

## Badge details

detail-heading = The badge
detail-achievement = Badge
detail-description = Description
detail-criteria = What it took to earn it
detail-competences = Skills
detail-issuer = Issued by
detail-issuer-website = Organisation's website
detail-recipient = Issued to
detail-recipient-hidden = The person's name is not written in the badge, to protect their privacy.
detail-issued-on = Issued on
detail-valid-until = Valid until
detail-no-expiry = No end date
detail-format = Format
detail-show-checks = Show the detailed checks
detail-checks-heading = The checks we made
notices-heading = Good to know about this badge
notice-status-list-other-issuer = The list of withdrawn badges is signed by another organisation ({ $signer }) than the one that issued the badge. Its signature was checked and the list was read.

## The result of each check line

outcome-passed = Passed
outcome-failed = Failed
outcome-warning = Good to know
outcome-skipped = Not checked

## Checks, one per report code

check-input-openbadges-v2 = This is an Open Badges 2.0 badge, the older version.
check-input-open-badges-2 = This is an Open Badges 2.0 badge, the older version: it is checked under the rules of that version.
check-input-open-badges-1 = This is an Open Badges 1.0 badge, a very old version: it is read as a 2.0 badge and checked under that version's rules.
check-input-not-a-badge = We found no badge in this file: it is not a badge, or not the right file.
check-schema-valid = The badge is written according to the Open Badges 3.0 standard.
check-schema-invalid = The badge does not follow the Open Badges 3.0 standard.
check-schema-context-version = The badge uses an older version of the standard, still accepted.
check-schema-subject-unidentified = The badge does not say who it was awarded to: there is no way to check that it belongs to a particular person.
check-schema-image-as-url = One of the badge's images is given by its web address alone. This shortened form is accepted: it changes nothing about the badge being genuine.
check-schema-achievement-type-unlisted = The kind of achievement it states is not on the standard's list. This changes nothing about the badge being genuine.
check-proof-missing = The badge has no signature: there is no way to know who made it.
check-proof-signature-valid = The signature is valid: the badge has not been changed.
check-proof-signature-invalid = The signature does not match: the badge has been changed or damaged.
check-proof-malformed = The signature cannot be read.
check-proof-unsupported-type = This type of signature is not supported.
check-proof-unsupported-cryptosuite = This signature method is not supported.
check-proof-legacy-cryptosuite = The signature uses an older method, still accepted.
check-proof-algorithm-key-mismatch = The signing method does not match the organisation's key.
check-proof-algorithm-refused = This signing method is refused because it is not safe.
check-proof-embedded-in-jwt = The badge holds a second signature: only the main one was checked.
check-proof-header-not-allowed = The signature contains forbidden parameters.
check-proof-private-key-in-header = The signature contains a private key: it is refused.
check-proof-jwt-claims = Some of the signature's information is incomplete, which does not call the badge into question.
check-proof-jwt-claims-invalid = The signature's information is invalid.
check-proof-jwt-nbf-missing = The signature gives no start date: the date written in the badge is the one that counts.
check-proof-jwt-claims-mismatch = The signature's information does not match the badge's content: it has been changed.
check-proof-undefined-term = The badge contains information the signature does not cover.
check-proof-unknown-context = The badge uses a vocabulary we do not know: the signature could not be checked.
check-proof-too-complex = The badge is built in a way too complex to check: its signature could not be verified.
check-proof-sd-base-proof = This is the issuer's copy meant for the holder, not a badge to present: ask the holder for the badge they share, whose signature can be checked.
check-issuer-key-bound = The signature belongs to the organisation that issued the badge.
check-issuer-key-not-bound = The signature does not belong to the organisation shown on the badge.
check-issuer-key-unresolvable = The organisation's information cannot be reached: the signature could not be checked.
check-issuer-missing = The badge does not say which organisation issued it.
check-issuer-key-unsupported = The organisation's key is not of the type this signature needs.
check-issuer-key-reference-invalid = The reference to the organisation's key cannot be read.
check-issuer-key-reference-missing = The signature does not say which key made it.
check-issuer-key-not-found = The key that signed the badge is not one of the organisation's keys.
check-issuer-key-invalid = The organisation's key cannot be read.
check-status-none = The organisation does not publish a list of withdrawn badges for this badge.
check-status-not-revoked = The badge has not been withdrawn by the organisation.
check-status-not-suspended = The badge has not been suspended by the organisation.
check-status-revoked = The badge has been withdrawn by the organisation.
check-status-suspended = The badge is suspended by the organisation.
check-status-unavailable = The list of withdrawn badges cannot be reached: we do not know whether this badge has been withdrawn.
check-status-list-other-issuer = The list of withdrawn badges is signed by another organisation than the one that issued the badge. Its signature was checked and the list was read; the technical name of that organisation is given in the details.
check-validity-current = The badge is within its validity period.
check-validity-expired = The badge's end date has passed.
check-validity-not-yet-valid = The badge's validity period has not started yet.
check-validity-malformed = The badge's dates cannot be read.
check-validity-invalid-date = The badge's dates cannot be read.
check-recipient-match = The badge was issued to this person.
check-recipient-mismatch = The badge was not issued to this person.
check-recipient-unidentified = The badge does not say to whom it was issued: it cannot be matched to a person.
check-endorsement-valid = An endorsement attached to the badge is genuine.
check-endorsement-invalid = An endorsement attached to the badge is not genuine.
check-endorsement-too-many = The badge has many endorsements: only the first ones were checked.
check-ob2-schema-valid = The badge holds the information the Open Badges 2.0 standard requires.
check-ob2-schema-invalid = The badge lacks information the Open Badges 2.0 standard requires.
check-ob2-hosted-fetched = The organisation's website publishes this very badge, unchanged.
check-ob2-hosted-mismatch = The badge differs from the one the organisation's website publishes: it was modified.
check-ob2-hosted-unavailable = The badge could not be read again from the organisation's website.
check-ob2-origin-match = The badge is published on the website of the organisation that issued it.
check-ob2-origin-mismatch = The badge is not published on the website of the organisation it shows.
check-ob2-badge-unavailable = The badge's description cannot be reached.
check-ob2-issuer-unavailable = The organisation's information cannot be reached.
check-ob2-id-differs = The description of the badge or of the organisation gives another address than the one we read it from, on the same website. This common slip changes nothing about the badge being genuine.

## Checking the person (holder)

holder-heading = Does this badge belong to this person?
holder-label = The person's name or email address
holder-help = Type the name or email the person gave you. We do not keep what you type.
holder-submit = Check the person
holder-match = Yes, this badge was issued to { $name }.
holder-mismatch = No, this badge was not issued to { $name }.
holder-mismatch-help = Check the spelling, or try the email address.
holder-not-possible = This badge does not allow checking the person's name.

## Trust registry

trust-known = Recognised issuer
trust-known-detail = { $name } is one of the organisations recognised by { $registry }.
trust-unknown = Genuine, issuer not vouched for
trust-unknown-detail = The badge is genuine, but this organisation is not on the list of recognised organisations. Find out more about it if needed.

## Images and certificate

download-png = Download the badge image (PNG)
download-svg = Download the badge image (SVG)
download-certificate = Print a certificate
download-heading = Download or print
certificate-heading = Digital badge certificate
certificate-holder = This badge was issued to { $name }.
certificate-scan = Scan this QR code to check this badge.
certificate-print = To print this certificate, use your browser's Print command.
badge-alt = Badge “{ $name }” issued by { $issuer }

## Errors

error-too-large = The file is too big. The maximum size is { $size }.
error-unreadable = We cannot read this file.
error-empty = You sent nothing. Choose a file, paste a text or give a link.
error-url-invalid = This link is not valid. It must start with https://
error-url-refused = The verifier cannot open this link.
error-fetch = The badge could not be downloaded from this link. Try again later.
error-not-a-badge = We found no Open Badges 3.0 badge in what you sent. Check that you chose the right file.
error-private-address = This link leads to a private or local address: the verifier does not open it.
error-not-verified = This badge is not valid: we cannot make an image or a certificate of it.
error-bad-request = The request is incomplete or malformed. Go back to the form and try again.
error-busy = The verifier is already making many images. Try again in a few seconds.
error-body-timeout = Your file took too long to arrive. Check your connection and send it again.
error-not-found = This page does not exist.
error-internal = Something went wrong on our side. Try again later.
error-back = Check another badge
