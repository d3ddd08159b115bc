## Vérificateur de badges : textes des pages (français, langue par défaut).
## Phrases courtes et simples, pour des employeurs et des personnes peu à
## l'aise avec le numérique. Les identifiants check-* suivent les codes du
## rapport (schema.valid devient check-schema-valid).

## Site et navigation

site-name = Vérificateur de badges
site-tagline = Vérifiez en quelques secondes qu'un badge numérique est authentique.
lang-switch = English
lang-switch-label = Read this page in English
skip-to-content = Aller au contenu

## Titres des pages

page-title-home = Vérifier un badge
page-title-result = Résultat de la vérification
page-title-error = La vérification n'a pas pu se faire
page-title-certificate = Attestation de badge

## Formulaire : déposer, coller, ou donner un lien

form-intro = Choisissez une façon de nous montrer le badge.
form-upload-label = Déposer le fichier du badge
form-upload-help = Une image (PNG ou SVG) ou un fichier reçu par e-mail (JSON). Taille maximale : { $size }.
form-upload-drop = Ou faites glisser le fichier ici.
form-paste-label = Coller le texte du badge
form-paste-help = Copiez tout le texte du badge, puis collez-le ici.
form-url-label = Lien du badge
form-url-help = L'adresse web du badge, qui commence par https://
form-scan-label = Scanner le QR code
form-scan-help = Montrez le QR code du badge à la caméra.
form-or = ou
form-submit = Vérifier le badge
form-optional = (facultatif)

## Verdicts : la réponse principale, en une phrase

verdict-verified = Ce badge est authentique et valide.
verdict-verified-help = Il a bien été délivré par l'organisme indiqué et n'a pas été modifié.
verdict-label-ok = Vérifié
verdict-label-bad = Ne pas s'y fier
verdict-label-warn = À vérifier
verdict-tampered = Attention : ce badge a été modifié.
verdict-tampered-help = Son contenu ne correspond plus à ce que l'organisme a signé. Ne vous y fiez pas.
verdict-wrong-key = Attention : ce badge n'a pas été signé par l'organisme qu'il affiche.
verdict-wrong-key-help = La signature est celle de quelqu'un d'autre. Ne vous y fiez pas.
verdict-key-unknown = Nous n'avons pas pu vérifier la signature de ce badge.
verdict-key-unknown-help = Les informations de l'organisme sont inaccessibles. Réessayez plus tard.
verdict-not-authentic = Nous n'avons pas pu confirmer que ce badge est authentique.
verdict-not-authentic-help = Il ne porte pas de signature valide de l'organisme qui l'a délivré. Ne vous y fiez pas.
verdict-expired = Ce badge est authentique, mais il a expiré le { $date }.
verdict-expired-help = Il a bien été délivré par l'organisme indiqué, mais il n'est plus valable.
verdict-not-yet-valid = Ce badge est authentique, mais il n'est valable qu'à partir du { $date }.
verdict-revoked = Ce badge a été retiré par l'organisme qui l'a délivré.
verdict-revoked-reason = Raison donnée par l'organisme : { $reason }
verdict-revoked-no-reason = L'organisme n'a pas donné de raison.
verdict-suspended = Ce badge est suspendu pour le moment par l'organisme qui l'a délivré.
verdict-status-unknown = Ce badge est authentique, mais nous ne savons pas s'il a été retiré.
verdict-status-unknown-help = La liste des badges retirés de l'organisme est inaccessible. Réessayez plus tard avant de vous y fier.
verdict-invalid = Ce badge est authentique, mais il n'est pas valide.
verdict-invalid-help = Une vérification a échoué : voyez le détail des vérifications plus bas.
verdict-recipient-mismatch = Ce badge est authentique, mais il n'a pas été délivré à cette personne.
verdict-not-openbadge = Ce fichier n'est pas un badge numérique.
verdict-not-openbadge-help = Nous n'avons pas trouvé de badge dans ce fichier. Vérifiez que vous avez choisi le bon fichier.
verdict-openbadges-v2 = Ce badge utilise l'ancienne version Open Badges 2.0.
verdict-openbadges-v2-help = Il ne contient pas les informations qui permettent de le vérifier. Demandez à l'organisme une version récente de ce badge.
verdict-openbadges-v2-notice = Ce badge utilise l'ancienne version Open Badges 2.0 : il a été vérifié selon les règles de cette version.
verdict-openbadges-v1-notice = Ce badge utilise la très ancienne version Open Badges 1.0 : il a été vérifié sur le site de l'organisme, selon les règles de la version 2.0.

## Détails du badge

detail-heading = Le badge
detail-achievement = Badge
detail-description = Description
detail-criteria = Ce qu'il a fallu faire pour l'obtenir
detail-competences = Compétences
detail-issuer = Délivré par
detail-issuer-website = Site web de l'organisme
detail-recipient = Délivré à
detail-recipient-hidden = Le nom de la personne n'est pas écrit dans le badge, pour protéger sa vie privée.
detail-issued-on = Date de délivrance
detail-valid-until = Valable jusqu'au
detail-no-expiry = Sans date de fin
detail-format = Format
detail-show-checks = Voir le détail des vérifications
detail-checks-heading = Les vérifications faites
notices-heading = À savoir sur ce badge
notice-status-list-other-issuer = La liste des badges retirés est signée par un autre organisme ({ $signer }) que celui qui a délivré le badge. Sa signature a été vérifiée et la liste a été lue.

## Résultat d'une vérification, à côté de chaque ligne

outcome-passed = Réussi
outcome-failed = Échoué
outcome-warning = À savoir
outcome-skipped = Non vérifié

## Vérifications, une par code du rapport

check-input-openbadges-v2 = C'est un badge Open Badges 2.0, l'ancienne version.
check-input-open-badges-2 = C'est un badge Open Badges 2.0, l'ancienne version : il est vérifié selon les règles de cette version.
check-input-open-badges-1 = C'est un badge Open Badges 1.0, une version très ancienne : il est lu comme un badge 2.0 et vérifié selon les règles de cette version.
check-input-not-a-badge = Nous n'avons pas trouvé de badge dans ce fichier : ce n'est pas un badge, ou pas le bon fichier.
check-schema-valid = Le badge est bien rédigé selon la norme Open Badges 3.0.
check-schema-invalid = Le badge ne respecte pas la norme Open Badges 3.0.
check-schema-context-version = Le badge utilise une version plus ancienne de la norme, encore acceptée.
check-schema-subject-unidentified = Le badge ne dit pas à qui il a été délivré : on ne peut pas vérifier qu'il appartient à une personne précise.
check-schema-image-as-url = Une image du badge est donnée par sa seule adresse web. C'est une forme simplifiée, acceptée : cela ne change rien à l'authenticité du badge.
check-schema-achievement-type-unlisted = Le type de réussite indiqué ne fait pas partie de la liste de la norme. Cela ne change rien à l'authenticité du badge.
check-proof-missing = Le badge n'a pas de signature : on ne peut pas savoir qui l'a fait.
check-proof-signature-valid = La signature est valide : le badge n'a pas été modifié.
check-proof-signature-invalid = La signature ne correspond pas : le badge a été modifié ou abîmé.
check-proof-malformed = La signature est illisible.
check-proof-unsupported-type = Ce type de signature n'est pas pris en charge.
check-proof-unsupported-cryptosuite = Cette méthode de signature n'est pas prise en charge.
check-proof-legacy-cryptosuite = La signature utilise une ancienne méthode, encore acceptée.
check-proof-algorithm-key-mismatch = La méthode de signature ne correspond pas à la clé de l'organisme.
check-proof-algorithm-refused = Cette méthode de signature est refusée, car elle n'est pas sûre.
check-proof-embedded-in-jwt = Le badge contient une seconde signature : seule la principale a été vérifiée.
check-proof-header-not-allowed = La signature contient des paramètres interdits.
check-proof-private-key-in-header = La signature contient une clé privée : elle est refusée.
check-proof-jwt-claims = Certaines informations de la signature sont incomplètes, sans remettre en cause le badge.
check-proof-jwt-claims-invalid = Les informations de la signature sont invalides.
check-proof-jwt-nbf-missing = La signature n'indique pas de date de début : c'est la date écrite dans le badge qui compte.
check-proof-jwt-claims-mismatch = Les informations de la signature ne correspondent pas au contenu du badge : il a été modifié.
check-proof-undefined-term = Le badge contient des informations que la signature ne couvre pas.
check-proof-unknown-context = Le badge utilise un vocabulaire que nous ne connaissons pas : la signature n'a pas pu être vérifiée.
check-proof-too-complex = Le badge est construit de façon trop complexe pour être vérifié : sa signature n'a pas pu être contrôlée.
check-proof-sd-base-proof = Ceci est l'exemplaire remis par l'organisation au titulaire, pas un badge à présenter : demandez au titulaire le badge qu'il partage, dont la signature peut être vérifiée.
check-issuer-key-bound = La signature appartient bien à l'organisme qui a délivré le badge.
check-issuer-key-not-bound = La signature n'appartient pas à l'organisme affiché sur le badge.
check-issuer-key-unresolvable = Les informations de l'organisme sont inaccessibles : la signature n'a pas pu être vérifiée.
check-issuer-missing = Le badge n'indique pas quel organisme l'a délivré.
check-issuer-key-unsupported = La clé de l'organisme n'est pas du type que demande cette signature.
check-issuer-key-reference-invalid = La référence à la clé de l'organisme est illisible.
check-issuer-key-reference-missing = La signature n'indique pas quelle clé l'a produite.
check-issuer-key-not-found = La clé qui a signé le badge ne fait pas partie des clés de l'organisme.
check-issuer-key-invalid = La clé de l'organisme est illisible.
check-status-none = L'organisme ne publie pas de liste de badges retirés pour ce badge.
check-status-not-revoked = Le badge n'a pas été retiré par l'organisme.
check-status-not-suspended = Le badge n'est pas suspendu par l'organisme.
check-status-revoked = Le badge a été retiré par l'organisme.
check-status-suspended = Le badge est suspendu par l'organisme.
check-status-unavailable = La liste des badges retirés est inaccessible : nous ne savons pas si ce badge a été retiré.
check-status-list-other-issuer = La liste des badges retirés est signée par un autre organisme que celui qui a délivré le badge. Sa signature a été vérifiée et elle a été lue ; le nom technique de cet organisme est donné dans le détail.
check-validity-current = Le badge est dans sa période de validité.
check-validity-expired = La date de fin de validité est passée.
check-validity-not-yet-valid = La période de validité n'a pas encore commencé.
check-validity-malformed = Les dates du badge sont illisibles.
check-validity-invalid-date = Les dates du badge sont illisibles.
check-recipient-match = Le badge a bien été délivré à cette personne.
check-recipient-mismatch = Le badge n'a pas été délivré à cette personne.
check-recipient-unidentified = Le badge n'indique pas à qui il a été délivré : on ne peut pas le comparer à une personne.
check-endorsement-valid = Une recommandation jointe au badge est authentique.
check-endorsement-invalid = Une recommandation jointe au badge n'est pas authentique.
check-endorsement-too-many = Le badge a beaucoup de recommandations : seules les premières ont été vérifiées.
check-ob2-schema-valid = Le badge contient bien les informations que demande la norme Open Badges 2.0.
check-ob2-schema-invalid = Il manque au badge des informations que demande la norme Open Badges 2.0.
check-ob2-hosted-fetched = Le site de l'organisme publie bien ce badge, à l'identique.
check-ob2-hosted-mismatch = Le badge ne correspond pas à celui que publie le site de l'organisme : il a été modifié.
check-ob2-hosted-unavailable = Le badge n'a pas pu être relu sur le site de l'organisme.
check-ob2-origin-match = Le badge est publié sur le site de l'organisme qui l'a délivré.
check-ob2-origin-mismatch = Le badge n'est pas publié sur le site de l'organisme qu'il affiche.
check-ob2-badge-unavailable = La description du badge est inaccessible.
check-ob2-issuer-unavailable = Les informations de l'organisme sont inaccessibles.
check-ob2-id-differs = La description du badge ou de l'organisme porte une autre adresse que celle où nous l'avons lue, sur le même site. C'est une erreur de rédaction courante, sans effet sur l'authenticité.

## Vérifier la personne (titulaire)

holder-heading = Ce badge est-il bien à cette personne ?
holder-label = Nom ou adresse e-mail de la personne
holder-help = Écrivez le nom ou l'e-mail que la personne vous a donné. Nous ne gardons pas ce que vous écrivez.
holder-submit = Vérifier la personne
holder-match = Oui, ce badge a été délivré à { $name }.
holder-mismatch = Non, ce badge n'a pas été délivré à { $name }.
holder-mismatch-help = Vérifiez l'orthographe, ou essayez avec l'adresse e-mail.
holder-not-possible = Ce badge ne permet pas de vérifier le nom de la personne.

## Registre de confiance

trust-known = Émetteur reconnu
trust-known-detail = { $name } fait partie des organismes reconnus par { $registry }.
trust-unknown = Authentique, émetteur non référencé
trust-unknown-detail = Le badge est authentique, mais cet organisme ne fait pas partie de la liste des organismes reconnus. Renseignez-vous sur lui si besoin.

## Images et attestation

download-png = Télécharger l'image du badge (PNG)
download-svg = Télécharger l'image du badge (SVG)
download-certificate = Imprimer une attestation
download-heading = Télécharger ou imprimer
certificate-heading = Attestation de badge numérique
certificate-holder = Ce badge a été délivré à { $name }.
certificate-scan = Scannez ce QR code pour vérifier ce badge.
certificate-print = Pour imprimer cette attestation, utilisez la commande « Imprimer » de votre navigateur.
badge-alt = Badge « { $name } » délivré par { $issuer }

## Erreurs

error-too-large = Le fichier est trop gros. La taille maximale est { $size }.
error-unreadable = Nous n'arrivons pas à lire ce fichier.
error-empty = Vous n'avez rien envoyé. Choisissez un fichier, collez un texte ou donnez un lien.
error-url-invalid = Ce lien n'est pas valide. Il doit commencer par https://
error-url-refused = Ce lien ne peut pas être ouvert par le vérificateur.
error-fetch = Le badge n'a pas pu être téléchargé depuis ce lien. Réessayez plus tard.
error-not-a-badge = Nous n'avons pas trouvé de badge Open Badges 3.0 dans ce que vous avez envoyé. Vérifiez que vous avez choisi le bon fichier.
error-private-address = Ce lien mène à une adresse privée ou locale : le vérificateur ne l'ouvre pas.
error-not-verified = Ce badge n'est pas valide : nous ne pouvons pas en faire une image ni une attestation.
error-bad-request = La demande est incomplète ou mal formée. Revenez au formulaire et réessayez.
error-busy = Le vérificateur prépare déjà beaucoup d'images. Réessayez dans quelques secondes.
error-body-timeout = Votre fichier a mis trop de temps à arriver. Vérifiez votre connexion et envoyez-le à nouveau.
error-not-found = Cette page n'existe pas.
error-internal = Une erreur est survenue de notre côté. Réessayez plus tard.
error-back = Vérifier un autre badge
