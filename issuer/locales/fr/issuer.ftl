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
designer-image-hint = PNG, JPEG ou SVG, 2 Mo au plus. Sans image, un dessin est fait avec le nom du badge.
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
