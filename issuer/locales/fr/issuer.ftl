## Émetteur de badges : textes des pages (français, langue par défaut).
## Phrases courtes et simples : les médiateurs ne sont pas informaticiens,
## les participants sont souvent peu à l'aise avec le numérique.

## Site

site-name = Badges numériques
skip-to-content = Aller au contenu
nav-label = Menu principal
lang-switch = English
nav-logged-in-as = Connecté : { $name }
nav-logout = Se déconnecter
footer-text = Badges Open Badges 3.0 : une preuve numérique des compétences acquises en atelier.

## Rôles

role-admin = Administrateur
role-facilitator = Médiateur

## Erreurs

error-not-found = Page introuvable
error-not-found-help = Cette page n'existe pas, ou vous n'y avez pas accès.
error-forbidden = Action refusée
error-forbidden-help = Vous n'avez pas le droit de faire cela, ou le formulaire a expiré. Rechargez la page et réessayez.
error-internal = Un problème est survenu
error-internal-help = Réessayez dans un moment. Si le problème continue, prévenez l'administrateur.
error-too-many = Trop d'essais
error-too-many-help = Attendez quelques minutes avant de réessayer.
error-bad-request = Nous n'avons pas pu faire cette action
error-bad-request-help = Revenez à la page précédente, vérifiez ce qui a été saisi, puis réessayez.
error-badge-not-found = Badge introuvable
error-badge-not-found-help = Aucun badge ne correspond à ce lien. Vérifiez qu'il a été recopié en entier, sans faute de frappe, ou demandez un nouveau lien à l'organisme qui vous a délivré le badge.
error-gone = Ce badge a été retiré
error-gone-help = L'organisme qui l'a délivré l'a retiré : il n'est plus valable.
error-too-large = Envoi trop gros
error-too-large-help = Ce que vous avez envoyé dépasse la taille permise. Revenez à la page précédente et choisissez un fichier plus petit.
error-back-home = Revenir à l'accueil

## Accueil

home-title = Badges numériques des ateliers
home-intro = Ici, les structures de médiation numérique délivrent des badges qui montrent les compétences acquises en atelier.
home-claim-heading = Vous avez reçu un code ?
home-claim-help = Écrivez le code donné par votre médiateur pour voir votre badge.
home-staff-heading = Vous êtes médiateur ou médiatrice ?

## Connexion

login-title = Se connecter
login-email = Adresse e-mail
login-password = Mot de passe
login-submit = Se connecter
login-failed = L'adresse e-mail ou le mot de passe est incorrect.
login-throttled = Trop d'essais. Attendez quelques minutes avant de réessayer.

## Organisations

orgs-title = Mes structures
orgs-none = Vous ne faites partie d'aucune structure pour le moment. Demandez à un administrateur de vous ajouter.

## Tableau de bord

dashboard-actions = Actions
dashboard-new-badge = Créer un badge
dashboard-badges = Les badges de la structure
dashboard-no-badges = Aucun badge pour le moment. Commencez par en créer un.

## Concepteur de badge

designer-title = Créer un badge
designer-error = Le badge n'a pas été créé.
designer-name = Nom du badge
designer-name-hint = Court et clair, par exemple : Faire ses démarches en ligne.
designer-description = Description
designer-description-hint = Ce que le badge montre, en une ou deux phrases simples.
designer-criteria = Ce qu'il faut faire pour l'obtenir
designer-criteria-hint = Par exemple : avoir participé aux trois séances de l'atelier et créé son compte en ligne.
designer-image = Image du badge (facultatif)
designer-image-hint = PNG, JPEG ou SVG, 20 Mo au plus (une photo de téléphone convient, elle est réduite). Sans image, un dessin est fait avec le nom du badge.
designer-type = Type de badge
designer-tags = Mots-clés (facultatif)
designer-tags-hint = Séparés par des virgules.
designer-language = Langue du badge
designer-competences = Compétences numériques (DigComp 2.2)
designer-competences-hint = Cochez les compétences travaillées dans l'atelier.
designer-preview = Aperçu
designer-submit = Créer le badge

type-Badge = Badge
type-Competency = Compétence
type-CertificateOfCompletion = Attestation de suivi
type-Achievement = Réussite
type-Award = Distinction

## Badge

badge-created = Le badge est créé.
badge-version = version { $version }
badge-criteria = Ce qu'il a fallu faire
badge-competences = Compétences
badge-image-alt = Badge « { $name } » délivré par { $issuer }

## Code de badge (participants)

claim-code-label = Votre code
claim-code-hint = Il est écrit sur le papier donné par votre médiateur, par exemple : K7QM-4XPA.
claim-code-submit = Voir mon badge
claim-title = Voir mon badge
claim-unknown = Ce code ne correspond à aucun badge. Vérifiez les lettres et les chiffres, puis réessayez.
claim-throttled = Trop d'essais avec un mauvais code. Attendez quelques minutes, ou demandez de l'aide à votre médiateur.
claim-welcome = Bravo, vous avez obtenu un badge !
claim-given-by = Délivré par { $issuer }
claim-name-question = Voulez-vous que votre nom soit écrit sur le badge ?
claim-name-help = Si votre nom est écrit, un employeur le verra. Sinon, il pourra quand même vérifier que le badge est à vous si vous lui donnez votre nom.
claim-name-yes = Oui, écrire « { $name } » sur le badge
claim-name-no = Non, ne pas écrire mon nom
claim-submit = Voir mon badge

## Page du badge (participant)

credential-claimed = Votre badge est prêt. Vous pouvez le télécharger, l'imprimer ou le partager.
credential-revoked = Ce badge a été retiré par { $issuer } le { $date }.
credential-revoked-reason = Raison : { $reason }
credential-issued-by = Délivré par { $issuer }
credential-issuer-website = site web
credential-issued-on = Le { $date }
credential-holder = Délivré à { $name }
credential-holder-hidden = Le nom de la personne n'est pas écrit sur ce badge, pour protéger sa vie privée.
credential-meaning = Ce que montre ce badge
credential-actions = Mon badge
credential-download = Télécharger mon badge
credential-print = Imprimer mon attestation
credential-share = Partager avec un employeur
credential-share-link = Lien vers mon badge
credential-copy = Copier le lien
credential-copied = Le lien est copié.
credential-share-mail = Envoyer par e-mail
credential-share-linkedin = Ajouter à mon profil LinkedIn
credential-check = Vérifier ce badge
credential-check-help = Ce badge est signé par l'organisme. Tout le monde peut vérifier qu'il est authentique.
credential-verify = Vérifier ce badge en ligne
credential-json = Le badge au format JSON (pour les logiciels)
credential-jwt = Le badge au format compact (pour les logiciels)
share-mail-subject = Mon badge : { $name }
share-mail-body = Bonjour, voici mon badge « { $name } » délivré par { $issuer } : { $url }

## Délivrer un badge

award-one-heading = Délivrer ce badge à une personne
award-one-error = Le badge n'a pas été délivré.
award-name = Nom et prénom
award-email = Adresse e-mail (facultatif)
award-email-hint = Sans e-mail, vous recevrez un code à imprimer pour la personne.
award-email-short = E-mail
award-consent = La personne accepte que son nom soit écrit sur le badge
award-consent-hint = Sinon, son nom est protégé : seul quelqu'un qui le connaît déjà peut vérifier que le badge est à elle. Elle pourra changer d'avis en ouvrant son badge.
award-narrative = Ce que la personne a fait (facultatif)
award-advanced = Options avancées
award-language = Langue de l'e-mail envoyé à la personne
award-language-fr = Français
award-language-en = English (anglais)
award-format = Format du badge
award-format-di = Format standard (recommandé)
award-format-jwt = Format compact
award-submit = Délivrer le badge
award-done = Le badge est délivré à { $name }.
award-recipient = Personne
award-date = Date
award-name-shown = Nom écrit sur le badge
award-status = État
award-status-valid = Valide
award-status-revoked = Retiré le { $date }
award-revocation-reason = Raison : { $reason }
award-public-page = Voir la page du badge
award-claim-heading = Code pour récupérer le badge
award-claim-help = La personne tape ce code sur le site, ou scanne le QR code, pour voir et télécharger son badge, sans compte. Il est aussi dans l'e-mail quand elle en a un.
award-claim-qr-alt = QR code qui ouvre le badge, code { $code }
award-claimed = La personne a déjà ouvert son badge.
award-not-claimed = La personne n'a pas encore ouvert son badge.
award-claim-print = Pour imprimer ce code, utilisez l'impression de votre navigateur.
yes = Oui
no = Non

## Retirer un badge

revoke-heading = Retirer ce badge
revoke-help = Retirez un badge seulement s'il a été délivré par erreur. Un employeur qui le vérifie verra qu'il a été retiré.
revoke-reason = Raison du retrait
revoke-reason-hint = Cette raison sera visible par toute personne qui vérifie le badge. N'y écrivez pas d'informations personnelles.
revoke-submit = Retirer le badge
revoke-done = Le badge est retiré. Les vérifications le montrent dès maintenant.

## Import CSV

csv-heading = Délivrer ce badge à plusieurs personnes (fichier CSV)
csv-help = Un fichier tableur enregistré en CSV, avec une ligne par personne et, sur la première ligne, le nom des colonnes.
csv-columns-hint = Colonnes reconnues : Nom et Prénom (ou Nom complet), Courriel (ou E-mail, Adresse e-mail), Commentaire, Preuve (un lien), Langue (français ou anglais, pour l’e-mail ; vide : français). Excel « CSV (séparateur : point-virgule) » convient, comme le CSV UTF-8.
csv-mapping-caption = Comment les colonnes du fichier sont lues
csv-mapping-column = Colonne du fichier
csv-mapping-use = Lue comme
csv-use-name = Nom et prénom
csv-use-first-name = Prénom
csv-use-last-name = Nom de famille
csv-use-email = Adresse e-mail
csv-use-narrative = Commentaire
csv-use-evidence = Lien vers une preuve
csv-use-language = Langue de l'e-mail
csv-use-none = Non utilisée
csv-error-file-too-large = Le fichier est trop gros (au plus { $number } Ko).
csv-error-too-many-rows = Plus de { $number } lignes : coupez le fichier en plusieurs.
csv-error-no-rows = Le fichier ne contient aucune personne.
csv-error-no-name-column = Aucune colonne de nom : ajoutez une colonne « Nom » (et « Prénom » si besoin) sur la première ligne.
csv-error-unequal-fields = Cette ligne n'a pas le même nombre de cases que la première ligne ({ $number } cases).
csv-error-unreadable = Cette ligne ne peut pas être lue.
csv-error-name-required = Le nom manque.
csv-error-name-too-long = Le nom est trop long (au plus { $number } caractères).
csv-error-email-invalid = Ce n'est pas une adresse e-mail.
csv-error-narrative-too-long = Le commentaire est trop long (au plus { $number } caractères).
csv-error-evidence-url-invalid = Ce n'est pas un lien web (http:// ou https://).
csv-error-language-invalid = Langue inconnue : écrivez « français » ou « anglais » (ou laissez la case vide pour le français).
csv-file = Fichier CSV
csv-check = Vérifier le fichier
csv-preview-title = Vérification du fichier
csv-errors = { $count } problème(s) dans le fichier. Rien n'a été délivré.
csv-errors-caption = Les lignes à corriger
csv-line = Ligne
csv-language = Langue de l'e-mail
csv-language-fr = Français
csv-language-en = Anglais
csv-field = Colonne
csv-reason = Problème
csv-fix-and-retry = Corriger le fichier et réessayer
csv-ready = Le fichier est correct : { $awarded } personne(s) vont recevoir le badge.
csv-already-imported = { $count } personne(s) l'ont déjà reçu lors d'un envoi précédent de ce fichier : rien ne leur sera délivré une deuxième fois.
csv-rows-caption = Les personnes du fichier
csv-confirm = Délivrer le badge à { $count } personne(s)
csv-cancel = Annuler
csv-done-title = Badges délivrés
csv-done = { $awarded } badge(s) délivré(s). { $skipped } personne(s) l'avaient déjà.
csv-flagged-heading = Personnes en double
csv-flagged-help = Ces personnes ont déjà ce badge, ou sont plusieurs fois dans le fichier. Choisissez : ne pas leur délivrer le badge une deuxième fois, ou le délivrer quand même.
csv-flagged-caption = Les personnes en double
csv-why = Pourquoi
csv-flag-holds-badge = Cette personne a déjà ce badge.
csv-flag-duplicate-row = La même personne est déjà à la ligne { $number }.
csv-flag-already-imported = Déjà délivré lors d'un envoi précédent de ce fichier.
csv-confirm-skip = Délivrer le badge à { $count } personne(s), sans les doublons
csv-confirm-anyway = Délivrer le badge à { $count } personne(s), doublons compris
csv-skipped-caption = Les personnes qui n'ont pas reçu le badge cette fois
csv-awarded-anyway-caption = Les personnes en double à qui le badge a quand même été délivré
back-to-dashboard = Revenir au tableau de bord

## Tableau de bord : badges délivrés

dashboard-awards = Derniers badges délivrés
dashboard-awards-caption = Les 30 derniers badges délivrés
dashboard-no-awards = Aucun badge délivré pour le moment.
dashboard-unclaimed = { $count } badge(s) pas encore récupéré(s) par les participants.
detail-badge = Badge
status-valid = Valide
status-revoked = Retiré
status-not-claimed = Pas encore récupéré

## Ateliers

dashboard-workshops = Mes ateliers
workshops-title = Ateliers
workshops-none = Aucun atelier pour le moment.
workshop-new = Nouvel atelier
workshop-new-error = L'atelier n'a pas été créé.
workshop-needs-badge = Créez d'abord le badge auquel l'atelier mène.
workshop-title-label = Nom de l'atelier
workshop-title-hint = Par exemple : Faire ses démarches en ligne, groupe du mardi.
workshop-badge = Badge obtenu à la fin
workshop-sessions = Nombre de séances
workshop-create = Créer l'atelier
workshop-summary = Badge : { $badge }. { $sessions } séance(s).
workshop-attendance = Présences
workshop-attendance-caption = Cochez les séances auxquelles chaque personne a participé.
workshop-attendance-saved = Les présences sont enregistrées.
workshop-session = Séance { $number }
workshop-present-label = { $name } présent(e) à la séance { $number }
workshop-no-email = sans e-mail
workshop-email-in-english = e-mail en anglais
workshop-has-badge = Badge délivré
workshop-no-badge = Pas encore
workshop-save-attendance = Enregistrer les présences
workshop-qualifying = { $count } personne(s) ont participé à toutes les séances et n'ont pas encore le badge.
workshop-award-all = Délivrer le badge à toutes les personnes qui ont suivi toutes les séances
workshop-award-hint = Les cases cochées ci-dessus sont enregistrées au moment de délivrer le badge : inutile d'enregistrer avant.
workshop-awarded-none = Aucun badge délivré cette fois.
workshop-awarded = { $count } badge(s) délivré(s).
workshop-skipped-already = { $name } a déjà reçu le badge.
workshop-skipped-missed = { $name } n'a pas reçu le badge : absent(e) à la séance { $sessions }.
workshop-no-participants = Pas encore de participants. Ajoutez-les ci-dessous.
workshop-dates = Dates des séances
workshop-dates-save = Enregistrer les dates
workshop-dates-saved = Les dates sont enregistrées.
workshop-date-invalid = Une date n'est pas valable : choisissez-la dans le calendrier.
workshop-add-participant = Ajouter un participant
workshop-add = Ajouter

## Effacement des données

erased-title = Badge retiré, données effacées
erased-text = Ce badge a été retiré par { $issuer } et les données de la personne ont été effacées.
erase-heading = Effacer les données de cette personne
erase-help = À la demande de la personne : son nom, son e-mail et son badge sont effacés, et le badge est retiré. On ne peut pas revenir en arrière.
erase-confirm = Je confirme l'effacement des données de { $name }
erase-submit = Effacer les données
erase-done = Les données de la personne ont été effacées et le badge est retiré. Une copie du badge vérifiée ailleurs apparaîtra comme retirée.
erase-confirm-missing = Cochez la case pour confirmer l'effacement.
designer-image-too-large = L'image est trop grande : 20 Mo et 4096 × 4096 pixels au plus. Ce que vous avez écrit est gardé : choisissez une autre image ou aucune.
designer-image-unsupported = L'image doit être un fichier PNG, JPEG ou SVG.
designer-image-undecodable = L'image n'a pas pu être lue ({ $reason }).
designer-image-unsafe = L'image SVG est refusée pour la sécurité des visiteurs : { $reason }.

## Clés de signature (administrateurs)

keys-title = Clés de signature
keys-help = Ces clés signent les badges de la structure. Les anciennes clés restent publiées : les badges déjà délivrés restent valides.
keys-rotated = La nouvelle clé est active. Les prochains badges seront signés avec elle.
keys-caption = Les clés, actives et retirées
keys-algorithm = Algorithme
keys-id = Identifiant
keys-created = Créée le
keys-active = Active
keys-retired = Retirée le { $date }
keys-rotate-heading = Changer de clé
keys-rotate-help = Changez de clé si vous pensez qu'elle a pu être copiée, ou selon la politique de votre structure.
keys-rotate-ed25519 = Nouvelle clé pour le format standard
keys-rotate-rs256 = Nouvelle clé pour le format compact

## Réseau et structures membres

members-title = Les structures du réseau
members-help = Chaque structure délivre ses propres badges, avec ses propres clés. Vous voyez ici leur activité, pas les participants.
members-none = Ce réseau n'a pas encore de structure membre.
members-caption = Structures membres de { $network }
members-name = Structure
members-awards = Badges délivrés
members-last-award = Dernier badge délivré
members-never = Aucun pour le moment
members-link = Structures du réseau ({ $count })

delivery-heading = Envoi aux personnes
delivery-smtp-missing = Aucune messagerie n'est configurée : les e-mails ne partent pas. Imprimez les codes et remettez-les aux personnes.
delivery-count-sent = { $count } e-mail(s) envoyé(s) avec le lien du badge.
delivery-count-failed = { $count } e-mail(s) n'ont pas pu partir : donnez le code à ces personnes, ou renvoyez l'e-mail depuis leur page.
delivery-count-no-address = { $count } personne(s) sans adresse e-mail : donnez-leur leur code.
delivery-count-no-smtp = { $count } personne(s) avec une adresse e-mail n'ont rien reçu, faute de messagerie : donnez-leur leur code.
delivery-codes-help = Ces personnes ont besoin de leur code pour récupérer leur badge :
delivery-codes-caption = Codes à remettre
delivery-code = Code
delivery-unknown = Envoi non suivi (badge délivré avant le suivi des envois).
delivery-sent = E-mail envoyé le { $date }.
delivery-failed = L'e-mail n'a pas pu partir : { $reason } Donnez le code à la personne ou renvoyez l'e-mail.
delivery-why-rejected = le serveur de messagerie l'a refusé (adresse inexistante ou boîte pleine ?).
delivery-why-auth = le serveur de messagerie a refusé le nom d'utilisateur ou le mot de passe. La personne qui administre ce service doit les vérifier dans le réglage ISSUER_SMTP_URL.
delivery-why-unreachable = le serveur de messagerie ne répond pas.
delivery-why-address = l'adresse e-mail n'est pas valable.
delivery-why-no_smtp = aucune messagerie n'est configurée.
delivery-no-address = Pas d'adresse e-mail : donnez à la personne son code pour récupérer le badge, plus haut sur cette page.
delivery-no-smtp = Pas d'e-mail envoyé (aucune messagerie configurée) : donnez à la personne son code pour récupérer le badge, plus haut sur cette page.
delivery-resend = Renvoyer l'e-mail
delivery-resent = Nouvel essai d'envoi fait. Le résultat est ci-dessous.

# Text refused because of a control character (issuer::text).
text-control-character = Le champ « { $field } » contient un retour à la ligne, une tabulation ou un autre caractère invisible ({ $character }), qui n'est pas accepté ici. Retirez-le puis réessayez.
csv-control-character = Contient un retour à la ligne, une tabulation ou un autre caractère invisible ({ $character }) : retirez-le.
field-name = Nom
field-recipient-name = Nom et prénom
field-recipient-email = Adresse e-mail de la personne
field-email = Adresse e-mail
field-narrative = Ce que la personne a fait
field-evidence-url = Lien vers une preuve
field-reason = Raison
field-description = Description
field-criteria-narrative = Critères d'obtention
field-tags = Mots-clés
field-achievement-type = Type de badge
field-title = Titre
field-label = Nom de la séance
field-display-name = Nom affiché
field-address = Adresse
field-url = Site web
field-image = Image
field-request = Requête

award-duplicate-short = Cette personne a déjà ce badge : rien n'a été délivré.
award-duplicate-see = Voir son badge
award-duplicate-anyway = Délivrer quand même une deuxième fois
workshop-duplicate-participant = { $name } est déjà dans cet atelier. Cochez « Ajouter quand même » s'il s'agit d'une autre personne.
workshop-add-anyway = Ajouter quand même (une autre personne du même nom)
workshop-invalid-language = Choisissez la langue de l'e-mail : français ou anglais.
workshop-invalid-form = Vérifiez le formulaire : un nom d'atelier (200 caractères au plus), un badge choisi dans la liste et de 1 à 20 séances.
workshop-too-many-participants = Cet atelier a déjà 200 participants, le maximum : créez un autre atelier.
workshop-skipped-holds = { $name } n'a pas reçu le badge : cette personne l'a déjà (délivré ailleurs). Cochez « Délivrer aussi » pour le lui délivrer quand même.
workshop-award-anyway = Délivrer aussi aux personnes qui ont déjà ce badge
awards-title = Badges délivrés
awards-search = Chercher une personne
awards-search-hint = Une partie du nom, l'adresse e-mail ou le code du badge.
awards-all-badges = Tous les badges
awards-workshop = Atelier
awards-all-workshops = Tous les ateliers
awards-search-submit = Chercher
awards-found = { $count } badge(s) trouvé(s).
awards-page-of = Page { $page } sur { $pages }
awards-pages = Pages de résultats
awards-previous = Page précédente
awards-next = Page suivante
awards-all-link = Voir et chercher tous les badges délivrés
awards-of-workshop = Les badges délivrés dans cet atelier
awards-of-badge = Les personnes qui ont reçu ce badge
award-format-hint = Le format standard convient partout. Le format compact ne sert que si un logiciel partenaire le demande.
award-invalid-name = Écrivez le nom de la personne (200 caractères au plus).
award-invalid-email = L'adresse e-mail n'est pas valable : vérifiez-la, ou laissez la case vide.
award-invalid-narrative = Le texte « ce que la personne a fait » est trop long.
award-invalid-other = Vérifiez les cases du formulaire, puis réessayez.
sheet-title = Codes à imprimer et découper
sheet-help = Une carte par personne qui n'a pas reçu son badge par e-mail. Imprimez cette page (feuille A4), découpez les cartes et donnez-les.
sheet-empty = Personne n'a besoin de code : tout le monde a reçu son badge par e-mail.
sheet-link = Imprimer les codes (feuille à découper)
sheet-hello = Bonjour { $name },
sheet-badge = { $org } vous a délivré le badge « { $badge } ».
sheet-scan = Pour le voir, scannez ce QR code avec votre téléphone,
sheet-go = ou allez sur { $address } et tapez ce code :

## Award e-mail (plain text)

mail-award-subject = Votre badge « { $badge } »
mail-award-body =
    Bonjour { $name },

    { $org } vous a délivré le badge « { $badge } ».
    Pour le voir, le télécharger et le partager, ouvrez ce lien :
    { $url }

    Ou tapez ce code sur le site : { $code }

    Gardez ce message : ce lien mène à votre badge.
