"""Every string the app shows, in one catalog: French first, English switchable.

Screens call ``t("key", **values)``; nothing user-facing is written inline, so a
translator edits this file only. A missing English entry falls back to French
rather than showing a key.
"""

from __future__ import annotations

LANGUAGES = ("fr", "en")

CATALOG: dict[str, dict[str, str]] = {
    # -- app and roles ------------------------------------------------------------
    "app.title": {"fr": "Assistant d'écriture", "en": "Writing assistant"},
    "app.title.short": {"fr": "Assistant", "en": "Assistant"},
    "app.subtitle.practitioner": {"fr": "Praticien·ne", "en": "Practitioner"},
    "app.subtitle.supervisor": {"fr": "Encadrement", "en": "Supervisor"},
    "app.subtitle.committee": {"fr": "Comité d'éthique", "en": "Ethics committee"},
    "role.title": {"fr": "Qui utilise l'assistant ?", "en": "Who is using the assistant?"},
    "role.intro": {
        "fr": "Tout reste sur cet ordinateur. Choisissez votre rôle :",
        "en": "Everything stays on this computer. Choose your role:",
    },
    "role.practitioner": {
        "fr": "Praticien·ne — écrire et relire",
        "en": "Practitioner — write and review",
    },
    "role.practitioner.help": {
        "fr": "Notes, aperçu pseudonymisé, propositions (phrase de passe requise).",
        "en": "Notes, pseudonymised preview, drafts (passphrase required).",
    },
    "role.supervisor": {"fr": "Encadrement — consignes", "en": "Supervisor — prompts"},
    "role.supervisor.help": {
        "fr": "Bibliothèque de consignes, versions, approbation, statistiques. Aucune donnée nominative.",
        "en": "Prompt library, versions, approval, statistics. No personal data.",
    },
    "role.committee": {"fr": "Comité d'éthique — journal", "en": "Ethics committee — log"},
    "role.committee.help": {
        "fr": "Journal pseudonymisé en lecture seule, intégrité, graphiques.",
        "en": "Read-only de-identified log, integrity, charts.",
    },
    # -- bindings and commands -------------------------------------------------------
    "key.help": {"fr": "Aide", "en": "Help"},
    "key.role": {"fr": "Rôle", "en": "Role"},
    "key.language": {"fr": "English", "en": "Français"},
    "key.quit": {"fr": "Quitter", "en": "Quit"},
    "key.generate": {"fr": "Générer", "en": "Generate"},
    "key.regenerate": {"fr": "Régénérer", "en": "Regenerate"},
    "key.cancel": {"fr": "Arrêter", "en": "Stop"},
    "key.accept": {"fr": "Accepter", "en": "Accept"},
    "key.reject": {"fr": "Rejeter", "en": "Reject"},
    "key.copy": {"fr": "Copier", "en": "Copy"},
    "key.new_note": {"fr": "Nouvelle note", "en": "New note"},
    "key.approve": {"fr": "Approuver", "en": "Approve"},
    "key.diff": {"fr": "Différences", "en": "Diff"},
    "key.open": {"fr": "Ouvrir un export", "en": "Open export"},
    "key.local": {"fr": "Journal local", "en": "Local log"},
    "key.search": {"fr": "Rechercher", "en": "Search"},
    "key.close": {"fr": "Fermer", "en": "Close"},
    "key.export": {"fr": "Exporter", "en": "Export"},
    "cmd.generate": {"fr": "Générer une proposition", "en": "Generate a draft"},
    "cmd.generate.help": {
        "fr": "Rédige une proposition à partir de la note et de la tâche choisie.",
        "en": "Draft from the note with the chosen task.",
    },
    "cmd.regenerate": {"fr": "Régénérer la proposition", "en": "Regenerate the draft"},
    "cmd.regenerate.help": {
        "fr": "Nouvelle proposition pour la même note et la même tâche.",
        "en": "A new draft for the same note and task.",
    },
    "cmd.cancel": {"fr": "Arrêter la génération", "en": "Stop generating"},
    "cmd.cancel.help": {
        "fr": "La proposition est enregistrée comme annulée.",
        "en": "Stored as cancelled.",
    },
    "cmd.accept": {"fr": "Accepter la proposition", "en": "Accept the draft"},
    "cmd.accept.help": {
        "fr": "Accepte le texte tel qu'il est dans le volet (avec vos modifications).",
        "en": "Accept the text as it is in the pane (with your edits).",
    },
    "cmd.reject": {"fr": "Rejeter la proposition", "en": "Reject the draft"},
    "cmd.reject.help": {
        "fr": "Avec une raison, pour améliorer les consignes.",
        "en": "With a reason.",
    },
    "cmd.copy": {"fr": "Copier le texte accepté", "en": "Copy the accepted text"},
    "cmd.copy.help": {"fr": "Dans le presse-papiers.", "en": "To the clipboard."},
    "cmd.new_note": {"fr": "Nouvelle note", "en": "New note"},
    "cmd.new_note.help": {
        "fr": "Vide l'éditeur pour une nouvelle note.",
        "en": "Clear the editor.",
    },
    "cmd.new_case": {"fr": "Nouveau dossier", "en": "New case"},
    "cmd.new_case.help": {
        "fr": "Crée un dossier (son nom est chiffré).",
        "en": "Create a case (name encrypted).",
    },
    "cmd.add_person": {"fr": "Ajouter une personne au dossier", "en": "Add a person to the case"},
    "cmd.add_person.help": {
        "fr": "Nom, surnoms et rôle : toutes ses formes seront masquées.",
        "en": "Name, aliases and role: every form will be masked.",
    },
    "cmd.mask": {"fr": "Masquer la sélection (F5)", "en": "Mask the selection (F5)"},
    "cmd.mask.help": {
        "fr": "Le texte sélectionné dans la note sera masqué dans tout le dossier.",
        "en": "The selected text will be masked across the case.",
    },
    "cmd.unmask": {"fr": "Ne pas masquer la sélection (F8)", "en": "Unmask the selection (F8)"},
    "cmd.unmask.help": {
        "fr": "Le texte sélectionné n'est pas une donnée personnelle (ex. un nom de service).",
        "en": "The selected text is not personal data (e.g. a department name).",
    },
    "key.mask": {"fr": "Masquer", "en": "Mask"},
    "key.unmask": {"fr": "Démasquer", "en": "Unmask"},
    "pr.select_first": {
        "fr": "Sélectionnez d'abord le texte dans la note (Maj + flèches).",
        "en": "Select the text in the note first (Shift + arrows).",
    },
    "pr.masked": {
        "fr": "« {text} » sera masqué dans ce dossier.",
        "en": "“{text}” will be masked in this case.",
    },
    "pr.unmasked": {
        "fr": "« {text} » ne sera plus masqué dans ce dossier.",
        "en": "“{text}” will no longer be masked in this case.",
    },
    "cmd.demo": {"fr": "Installer le dossier de démonstration", "en": "Install the demo case"},
    "cmd.demo.help": {
        "fr": "Trois notes fictives pour essayer.",
        "en": "Three fictional notes to try.",
    },
    "cmd.role.practitioner": {"fr": "Rôle : praticien·ne", "en": "Role: practitioner"},
    "cmd.role.supervisor": {"fr": "Rôle : encadrement", "en": "Role: supervisor"},
    "cmd.role.committee": {"fr": "Rôle : comité d'éthique", "en": "Role: ethics committee"},
    "cmd.role.help": {"fr": "Change de vue.", "en": "Switch view."},
    "cmd.language": {"fr": "Langue : English", "en": "Language: Français"},
    "cmd.language.help": {
        "fr": "Change la langue de l'interface.",
        "en": "Switch the interface language.",
    },
    "cmd.help": {"fr": "Aide", "en": "Help"},
    "cmd.help.help": {"fr": "Raccourcis et fonctionnement.", "en": "Keys and how it works."},
    "cmd.approve": {"fr": "Approuver la version affichée", "en": "Approve the shown version"},
    "cmd.approve.help": {
        "fr": "Enregistré dans le journal d'audit.",
        "en": "Recorded in the audit log.",
    },
    "cmd.diff": {"fr": "Comparer avec une autre version", "en": "Compare with another version"},
    "cmd.diff.help": {"fr": "Différences ligne à ligne.", "en": "Line-by-line diff."},
    "cmd.open_bundle": {"fr": "Ouvrir un export d'audit", "en": "Open an audit export"},
    "cmd.open_bundle.help": {"fr": "Lecture seule.", "en": "Read-only."},
    "cmd.local_log": {"fr": "Ouvrir le journal local", "en": "Open the local log"},
    "cmd.local_log.help": {"fr": "Lecture seule, pseudonymisé.", "en": "Read-only, de-identified."},
    "cmd.search": {"fr": "Rechercher dans le journal", "en": "Search the log"},
    "cmd.search.help": {"fr": "Texte intégral, pseudonymisé.", "en": "Full text, de-identified."},
    "cmd.export": {"fr": "Exporter le journal (HTML)", "en": "Export the log (HTML)"},
    "cmd.export.help": {
        "fr": "Rapport pseudonymisé pour le comité.",
        "en": "De-identified report.",
    },
    # -- passphrase ---------------------------------------------------------------------
    "pass.title": {"fr": "Phrase de passe", "en": "Passphrase"},
    "pass.intro": {
        "fr": "Vos notes sont chiffrées sur cet ordinateur. Saisissez la phrase de passe pour les ouvrir.",
        "en": "Your notes are encrypted on this computer. Enter the passphrase to open them.",
    },
    "pass.first": {
        "fr": "Première ouverture : la phrase choisie protégera toutes les notes. Notez-la en lieu sûr, elle ne peut pas être retrouvée.",
        "en": "First use: the phrase you choose protects every note. Keep it safe; it cannot be recovered.",
    },
    "pass.placeholder": {"fr": "phrase de passe", "en": "passphrase"},
    "pass.ok": {"fr": "Ouvrir", "en": "Open"},
    "pass.cancel": {"fr": "Annuler", "en": "Cancel"},
    "pass.empty": {
        "fr": "La phrase de passe ne peut pas être vide.",
        "en": "The passphrase cannot be empty.",
    },
    "pass.opening": {"fr": "Ouverture des données chiffrées…", "en": "Opening the encrypted data…"},
    # -- status bar ---------------------------------------------------------------------
    "status.store.locked": {"fr": "Données fermées", "en": "Data locked"},
    "status.store.opening": {"fr": "Données : ouverture…", "en": "Data: opening…"},
    "status.store.ready": {"fr": "Données ✓", "en": "Data ✓"},
    "status.deid.loading": {"fr": "Analyse : chargement…", "en": "Analyser: loading…"},
    "status.deid.ready": {"fr": "Analyse ✓", "en": "Analyser ✓"},
    "status.deid.error": {"fr": "Analyse ✗", "en": "Analyser ✗"},
    "status.deid.idle": {"fr": "Analyse : en attente", "en": "Analyser: waiting"},
    "status.model.loading": {"fr": "Modèle : chargement…", "en": "Model: loading…"},
    "status.model.ready": {"fr": "Modèle : {name}", "en": "Model: {name}"},
    "status.model.error": {"fr": "Modèle ✗", "en": "Model ✗"},
    "status.model.idle": {"fr": "Modèle : en attente", "en": "Model: waiting"},
    "status.model.warning": {
        "fr": "qualité insuffisante pour un usage réel",
        "en": "quality not good enough for real use",
    },
    "status.readonly": {
        "fr": "Lecture seule — aucune donnée nominative",
        "en": "Read-only — no personal data",
    },
    # -- practitioner -------------------------------------------------------------------
    "pr.case": {"fr": "Dossier", "en": "Case"},
    "pr.note": {"fr": "Note", "en": "Note"},
    "pr.task": {"fr": "Tâche", "en": "Task"},
    "pr.new_note_option": {"fr": "✎ Nouvelle note", "en": "✎ New note"},
    "pr.new_case_option": {"fr": "＋ Nouveau dossier…", "en": "＋ New case…"},
    "pr.note_label": {"fr": "Note du {date}", "en": "Note of {date}"},
    "pr.editor": {
        "fr": "Note (visible de vous seul·e)",
        "en": "Note (only you see it)",
    },
    "pr.tab.preview": {"fr": "Aperçu pseudonymisé", "en": "Pseudonymised preview"},
    "pr.tab.draft": {"fr": "Proposition", "en": "Draft"},
    "pr.tab.history": {"fr": "Historique", "en": "History"},
    "pr.preview.empty": {
        "fr": "Écrivez ou collez une note à gauche : ce que le modèle verra s'affiche ici, noms et numéros remplacés.",
        "en": "Write or paste a note on the left: what the model will see shows here, names and numbers replaced.",
    },
    "pr.preview.waiting": {
        "fr": "Chargement de l'analyse des noms (quelques secondes)…",
        "en": "Loading the name analyser (a few seconds)…",
    },
    "pr.preview.working": {"fr": "Analyse en cours…", "en": "Analysing…"},
    "pr.preview.count": {
        "fr": "{n} élément(s) masqué(s) : {kinds}",
        "en": "{n} item(s) masked: {kinds}",
    },
    "pr.preview.none": {
        "fr": "Aucun élément masqué : vérifiez qu'aucun nom ne reste.",
        "en": "Nothing masked: check no name is left.",
    },
    "pr.draft.empty": {
        "fr": "Choisissez une tâche puis « Générer » (Ctrl+G). La proposition s'affiche ici, rétablie avec les vrais noms, pour relecture.",
        "en": "Pick a task then Generate (Ctrl+G). The draft shows here with the real names restored, for review.",
    },
    "pr.draft.generating": {
        "fr": "Génération… {tokens} jetons · {rate} jetons/s — Échap pour arrêter",
        "en": "Generating… {tokens} tokens · {rate} tok/s — Esc to stop",
    },
    "pr.draft.preparing": {
        "fr": "Préparation (pseudonymisation, chargement du modèle)… Échap pour arrêter",
        "en": "Preparing (de-identification, model loading)… Esc to stop",
    },
    "pr.draft.pending": {
        "fr": "À relire — {tokens} jetons · {rate} jetons/s. Modifiez le texte si besoin puis acceptez ou rejetez.",
        "en": "To review — {tokens} tokens · {rate} tok/s. Edit if needed, then accept or reject.",
    },
    "pr.draft.cancelled": {
        "fr": "Génération arrêtée : enregistrée comme annulée.",
        "en": "Generation stopped: stored as cancelled.",
    },
    "pr.draft.failed": {
        "fr": "La génération a échoué : {message}",
        "en": "Generation failed: {message}",
    },
    "pr.draft.accepted": {"fr": "Acceptée. Copiez-la avec F3.", "en": "Accepted. Copy it with F3."},
    "pr.draft.edited": {
        "fr": "Acceptée avec vos modifications. Copiez-la avec F3.",
        "en": "Accepted with your edits. Copy it with F3.",
    },
    "pr.draft.rejected": {"fr": "Rejetée ({reason}).", "en": "Rejected ({reason})."},
    "pr.draft.unknown": {
        "fr": "À vérifier : pseudonymes inventés par le modèle : {names}",
        "en": "Check: placeholders invented by the model: {names}",
    },
    "pr.flags.title": {"fr": "Points à vérifier", "en": "Points to check"},
    "pr.flags.none": {
        "fr": "Aucun point signalé par l'aide à la relecture.",
        "en": "No point flagged by the review aid.",
    },
    "pr.button.generate": {"fr": "Générer", "en": "Generate"},
    "pr.button.accept": {"fr": "Accepter", "en": "Accept"},
    "pr.button.accept_edited": {"fr": "Accepter modifiée", "en": "Accept edited"},
    "pr.button.reject": {"fr": "Rejeter", "en": "Reject"},
    "pr.button.regenerate": {"fr": "Régénérer", "en": "Regenerate"},
    "pr.button.copy": {"fr": "Copier", "en": "Copy"},
    "pr.history.when": {"fr": "Date", "en": "When"},
    "pr.history.task": {"fr": "Tâche", "en": "Task"},
    "pr.history.status": {"fr": "Statut", "en": "Status"},
    "pr.history.tokens": {"fr": "Jetons", "en": "Tokens"},
    "pr.history.empty": {
        "fr": "Aucune proposition pour cette note.",
        "en": "No draft for this note yet.",
    },
    "pr.task.unapproved": {
        "fr": "consigne non approuvée : demandez à votre encadrant·e",
        "en": "prompt not approved: ask your supervisor",
    },
    "pr.need_note": {
        "fr": "La note est vide : écrivez ou collez un texte avant de générer.",
        "en": "The note is empty: write or paste text first.",
    },
    "pr.need_task": {"fr": "Choisissez une tâche.", "en": "Choose a task."},
    "pr.need_store": {
        "fr": "Les données ne sont pas encore ouvertes.",
        "en": "The data is not open yet.",
    },
    "pr.busy": {
        "fr": "Une génération est déjà en cours (Échap pour l'arrêter).",
        "en": "Already generating (Esc to stop).",
    },
    "pr.nothing_to_review": {
        "fr": "Aucune proposition en attente de relecture.",
        "en": "No draft waiting for review.",
    },
    "pr.nothing_to_copy": {
        "fr": "Seul un texte accepté peut être copié.",
        "en": "Only an accepted text can be copied.",
    },
    "pr.copied": {
        "fr": "Texte accepté copié dans le presse-papiers.",
        "en": "Accepted text copied to the clipboard.",
    },
    "pr.demo.title": {"fr": "Bienvenue", "en": "Welcome"},
    "pr.demo.body": {
        "fr": "Aucun dossier pour l'instant. Voulez-vous installer un dossier de démonstration (une famille fictive, trois notes) pour essayer l'assistant ?",
        "en": "No case yet. Install a demo case (a fictional family, three notes) to try the assistant?",
    },
    "pr.demo.yes": {"fr": "Oui, installer la démonstration", "en": "Yes, install the demo"},
    "pr.demo.no": {"fr": "Non, commencer vide", "en": "No, start empty"},
    "pr.demo.installed": {"fr": "Dossier de démonstration installé.", "en": "Demo case installed."},
    "pr.case.created": {"fr": "Dossier créé.", "en": "Case created."},
    "pr.person.added": {
        "fr": "{name} sera masqué·e dans les notes de ce dossier.",
        "en": "{name} will be masked in this case's notes.",
    },
    # -- modals -------------------------------------------------------------------------
    "reject.title": {"fr": "Pourquoi rejeter cette proposition ?", "en": "Why reject this draft?"},
    "reject.other": {
        "fr": "Autre raison (sans nom ni donnée personnelle) :",
        "en": "Other reason (no name or personal data):",
    },
    "reject.ok": {"fr": "Rejeter", "en": "Reject"},
    "reject.cancel": {"fr": "Annuler", "en": "Cancel"},
    "reject.need": {"fr": "Choisissez ou écrivez une raison.", "en": "Choose or write a reason."},
    "case.title": {"fr": "Nouveau dossier", "en": "New case"},
    "case.label": {"fr": "Nom du dossier (chiffré) :", "en": "Case name (encrypted):"},
    "case.ok": {"fr": "Créer", "en": "Create"},
    "person.title": {"fr": "Personne du dossier", "en": "Person in the case"},
    "person.name": {"fr": "Nom complet :", "en": "Full name:"},
    "person.aliases": {
        "fr": "Surnoms ou autres formes, séparés par des virgules :",
        "en": "Aliases, comma-separated:",
    },
    "person.role": {
        "fr": "Rôle (mère, enfant, voisin…) :",
        "en": "Role (mother, child, neighbour…):",
    },
    "person.ok": {"fr": "Ajouter", "en": "Add"},
    "common.cancel": {"fr": "Annuler", "en": "Cancel"},
    "common.none": {"fr": "—", "en": "—"},
    # -- statuses -----------------------------------------------------------------------
    "st.generating": {"fr": "en cours", "en": "generating"},
    "st.pending": {"fr": "à relire", "en": "to review"},
    "st.cancelled": {"fr": "annulée", "en": "cancelled"},
    "st.failed": {"fr": "échec", "en": "failed"},
    "st.interrupted": {"fr": "interrompue", "en": "interrupted"},
    "st.accepted": {"fr": "acceptée", "en": "accepted"},
    "st.edited": {"fr": "modifiée", "en": "edited"},
    "st.rejected": {"fr": "rejetée", "en": "rejected"},
    # -- supervisor ---------------------------------------------------------------------
    "sv.library": {"fr": "Consignes", "en": "Prompts"},
    "sv.tab.read": {"fr": "Texte", "en": "Text"},
    "sv.tab.versions": {"fr": "Versions", "en": "Versions"},
    "sv.tab.diff": {"fr": "Différences", "en": "Diff"},
    "sv.tab.stats": {"fr": "Statistiques", "en": "Statistics"},
    "sv.approved": {"fr": "✓ approuvée par {who} le {when}", "en": "✓ approved by {who} on {when}"},
    "sv.not_approved": {
        "fr": "✗ version actuelle non approuvée : les praticien·nes ne peuvent pas l'utiliser",
        "en": "✗ current version not approved: practitioners cannot use it",
    },
    "sv.version.current": {"fr": "actuelle", "en": "current"},
    "sv.col.version": {"fr": "Version", "en": "Version"},
    "sv.col.state": {"fr": "État", "en": "State"},
    "sv.col.approver": {"fr": "Approuvée par", "en": "Approved by"},
    "sv.col.uses": {"fr": "Utilisations", "en": "Uses"},
    "sv.col.reviewed": {"fr": "Relues", "en": "Reviewed"},
    "sv.col.acceptance": {"fr": "Acceptation", "en": "Acceptance"},
    "sv.col.edit": {"fr": "Retouche moy.", "en": "Mean edit"},
    "sv.col.rejected": {"fr": "Rejets", "en": "Rejected"},
    "sv.col.task": {"fr": "Consigne", "en": "Prompt"},
    "sv.chart.acceptance": {
        "fr": "Taux d'acceptation par version",
        "en": "Acceptance rate by version",
    },
    "sv.stats.empty": {
        "fr": "Aucune proposition relue pour l'instant.",
        "en": "No reviewed draft yet.",
    },
    "sv.diff.none": {
        "fr": "Une seule version connue : rien à comparer.",
        "en": "Only one known version: nothing to compare.",
    },
    "sv.diff.same": {"fr": "Versions identiques.", "en": "Identical versions."},
    "sv.approver.title": {
        "fr": "Approuver la version {version}",
        "en": "Approve version {version}",
    },
    "sv.approver.label": {
        "fr": "Votre nom ou identifiant (enregistré dans le journal) :",
        "en": "Your name or id (recorded in the log):",
    },
    "sv.approved.done": {"fr": "Version {version} approuvée.", "en": "Version {version} approved."},
    "sv.approved.already": {
        "fr": "Cette version était déjà approuvée.",
        "en": "This version was already approved.",
    },
    # -- committee ----------------------------------------------------------------------
    "cm.source.local": {"fr": "Journal local", "en": "Local log"},
    "cm.source.bundle": {"fr": "Export : {name}", "en": "Export: {name}"},
    "cm.integrity.ok": {
        "fr": "✓ Intégrité vérifiée : {n} événements, chaîne intacte",
        "en": "✓ Integrity verified: {n} events, chain intact",
    },
    "cm.integrity.bad": {
        "fr": "✗ ALTÉRÉ à l'événement {n} : {message}",
        "en": "✗ TAMPERED at event {n}: {message}",
    },
    "cm.integrity.checking": {"fr": "Vérification de l'intégrité…", "en": "Checking integrity…"},
    "cm.integrity.unknown": {
        "fr": "Intégrité non vérifiable : {message}",
        "en": "Integrity cannot be checked: {message}",
    },
    "cm.filter.from": {"fr": "Du (AAAA-MM-JJ)", "en": "From (YYYY-MM-DD)"},
    "cm.filter.to": {"fr": "Au (AAAA-MM-JJ)", "en": "To (YYYY-MM-DD)"},
    "cm.filter.search": {"fr": "Recherche plein texte…", "en": "Full-text search…"},
    "cm.filter.any_task": {"fr": "Toutes tâches", "en": "All tasks"},
    "cm.filter.any_status": {"fr": "Tous statuts", "en": "All statuses"},
    "cm.filter.any_model": {"fr": "Tous modèles", "en": "All models"},
    "cm.filter.any_version": {"fr": "Toutes versions", "en": "All versions"},
    "cm.count": {"fr": "{shown} / {total} générations", "en": "{shown} / {total} generations"},
    "cm.col.when": {"fr": "Date", "en": "When"},
    "cm.col.task": {"fr": "Tâche", "en": "Task"},
    "cm.col.status": {"fr": "Statut", "en": "Status"},
    "cm.col.model": {"fr": "Modèle", "en": "Model"},
    "cm.col.version": {"fr": "Version", "en": "Version"},
    "cm.col.edit": {"fr": "Retouche", "en": "Edit"},
    "cm.tab.table": {"fr": "Générations", "en": "Generations"},
    "cm.tab.charts": {"fr": "Graphiques", "en": "Charts"},
    "cm.detail.title": {"fr": "Génération {id}", "en": "Generation {id}"},
    "cm.detail.prompt": {
        "fr": "Consigne envoyée au modèle (pseudonymisée)",
        "en": "Prompt sent to the model (de-identified)",
    },
    "cm.detail.draft": {"fr": "Proposition du modèle", "en": "Model draft"},
    "cm.detail.decision": {"fr": "Décision", "en": "Decision"},
    "cm.detail.diff": {"fr": "Modifications du praticien", "en": "Practitioner's edits"},
    "cm.detail.params": {"fr": "Modèle et paramètres", "en": "Model and parameters"},
    "cm.detail.no_review": {"fr": "Pas encore relue.", "en": "Not reviewed yet."},
    "cm.detail.no_edit": {"fr": "Aucune modification.", "en": "No edit."},
    "cm.chart.acceptance": {"fr": "Acceptation par jour", "en": "Acceptance by day"},
    "cm.chart.edits": {
        "fr": "Distances de retouche (propositions modifiées)",
        "en": "Edit distances (edited drafts)",
    },
    "cm.chart.status": {"fr": "Répartition des statuts", "en": "Status breakdown"},
    "cm.chart.empty": {"fr": "Pas encore de données.", "en": "No data yet."},
    "cm.open.title": {"fr": "Ouvrir un export d'audit", "en": "Open an audit export"},
    "cm.open.label": {"fr": "Chemin du fichier d'export :", "en": "Path of the export file:"},
    "cm.open.ok": {"fr": "Ouvrir", "en": "Open"},
    "cm.open.missing": {"fr": "Fichier introuvable : {path}", "en": "File not found: {path}"},
    "cm.exported": {"fr": "Rapport exporté : {path}", "en": "Report exported: {path}"},
    "cm.loading": {"fr": "Lecture du journal…", "en": "Reading the log…"},
    # -- help ---------------------------------------------------------------------------
    "help.title": {"fr": "Aide", "en": "Help"},
    "help.body": {
        "fr": """\
# Assistant d'écriture — aide

Tout fonctionne **sur cet ordinateur**, sans internet. Le modèle ne reçoit **jamais** les noms
ni les numéros : il ne voit que l'aperçu pseudonymisé (`<PERSONNE_1>`, `<TEL_1>`…).

## Praticien·ne
1. Choisissez un **dossier** (ou la démonstration) et écrivez ou collez la **note** à gauche.
2. Vérifiez l'**aperçu pseudonymisé** à droite : chaque élément surligné est masqué.
   Un nom oublié ? Sélectionnez-le et appuyez sur F5 (F8 : ne pas masquer), ou ajoutez
   la personne au dossier (Ctrl+P → « Ajouter une personne »).
3. Choisissez la **tâche** puis **Générer** (Ctrl+G). Échap arrête la génération.
4. Relisez la **proposition** : corrigez-la directement, puis **Accepter** (Ctrl+S)
   ou **Rejeter** (Ctrl+T) avec une raison. Seul un texte accepté se copie (F3).

## Encadrement
Consignes, versions, différences, **approbation** (Ctrl+A) et statistiques par version.

## Comité d'éthique
Journal pseudonymisé, filtres, recherche, détail d'une génération, **intégrité** de la chaîne.

## Touches
F1 aide · F2 changer de rôle · F9 English · Ctrl+P toutes les actions · Ctrl+Q quitter
""",
        "en": """\
# Writing assistant — help

Everything runs **on this computer**, offline. The model **never** receives names or
numbers: it only sees the pseudonymised preview (`<PERSONNE_1>`, `<TEL_1>`…).

## Practitioner
1. Pick a **case** (or the demo) and write or paste the **note** on the left.
2. Check the **pseudonymised preview** on the right: every highlighted item is masked.
   A name missed? Select it and press F5 (F8: do not mask), or add the person
   to the case (Ctrl+P → "Add a person").
3. Pick the **task**, then **Generate** (Ctrl+G). Esc stops generating.
4. Review the **draft**: edit it in place, then **Accept** (Ctrl+S) or **Reject** (Ctrl+T)
   with a reason. Only an accepted text can be copied (F3).

## Supervisor
Prompts, versions, diffs, **approval** (Ctrl+A) and statistics per version.

## Ethics committee
De-identified log, filters, search, detail of a generation, chain **integrity**.

## Keys
F1 help · F2 switch role · F9 Français · Ctrl+P every action · Ctrl+Q quit
""",
    },
}

_language = "fr"


def set_language(language: str) -> None:
    """Switch the catalog; unknown languages fall back to French."""
    global _language
    _language = language if language in LANGUAGES else "fr"


def language() -> str:
    return _language


def t(key: str, **values: object) -> str:
    """The string for ``key`` in the current language, with ``values`` filled in."""
    entry = CATALOG.get(key)
    if entry is None:
        return key
    text = entry.get(_language) or entry["fr"]
    return text.format(**values) if values else text


def status_label(status: str) -> str:
    """A suggestion status as a practitioner reads it."""
    return t(f"st.{status}") if f"st.{status}" in CATALOG else status
