//! Diesel table definitions, shared by both backends.
//!
//! Written by hand to match `issuer/migrations/{sqlite,postgres}`: only the
//! types the multi-backend connection supports (Text, Integer, BigInt).
//! `tests/it/db.rs` checks every table here can be queried after migrating.

#![allow(missing_docs)]

diesel::table! {
    organisations (id) {
        id -> Text,
        slug -> Text,
        name -> Text,
        url -> Nullable<Text>,
        email -> Nullable<Text>,
        description -> Nullable<Text>,
        image -> Nullable<Text>,
        address_json -> Nullable<Text>,
        created_at -> BigInt,
        updated_at -> BigInt,
    }
}

diesel::table! {
    org_keys (id) {
        id -> Text,
        org_id -> Text,
        algorithm -> Text,
        public_jwk -> Text,
        private_key_enc -> Text,
        status -> Text,
        created_at -> BigInt,
        retired_at -> Nullable<BigInt>,
    }
}

diesel::table! {
    users (id) {
        id -> Text,
        email -> Text,
        display_name -> Text,
        password_hash -> Text,
        created_at -> BigInt,
    }
}

diesel::table! {
    memberships (user_id, org_id) {
        user_id -> Text,
        org_id -> Text,
        role -> Text,
        created_at -> BigInt,
    }
}

diesel::table! {
    sessions (token_hash) {
        token_hash -> Text,
        user_id -> Text,
        csrf_token -> Text,
        created_at -> BigInt,
        expires_at -> BigInt,
    }
}

diesel::table! {
    api_tokens (id) {
        id -> Text,
        user_id -> Text,
        name -> Text,
        token_hash -> Text,
        created_at -> BigInt,
        revoked_at -> Nullable<BigInt>,
    }
}

diesel::table! {
    throttles (key) {
        key -> Text,
        window_start -> BigInt,
        hits -> BigInt,
    }
}

diesel::table! {
    audit_log (id) {
        id -> Text,
        org_id -> Nullable<Text>,
        actor -> Text,
        action -> Text,
        target_type -> Text,
        target_id -> Text,
        detail -> Nullable<Text>,
        at -> BigInt,
    }
}

diesel::table! {
    images (id) {
        id -> Text,
        org_id -> Text,
        content_type -> Text,
        data_base64 -> Text,
        created_at -> BigInt,
    }
}

diesel::table! {
    achievements (id) {
        id -> Text,
        org_id -> Text,
        created_at -> BigInt,
    }
}

diesel::table! {
    achievement_versions (id) {
        id -> Text,
        achievement_id -> Text,
        version -> Integer,
        name -> Text,
        description -> Text,
        criteria_narrative -> Text,
        image_id -> Nullable<Text>,
        achievement_type -> Text,
        tags_json -> Text,
        language -> Text,
        alignments_json -> Text,
        created_at -> BigInt,
    }
}

diesel::table! {
    status_lists (id) {
        id -> Text,
        org_id -> Text,
        purpose -> Text,
        size -> Integer,
        allocated -> Integer,
        created_at -> BigInt,
        updated_at -> BigInt,
        signed_credential -> Nullable<Text>,
        signed_digest -> Nullable<Text>,
        revoked_bits -> Nullable<Binary>,
        issuer_form -> Text,
    }
}

diesel::table! {
    awards (id) {
        id -> Text,
        org_id -> Text,
        achievement_version_id -> Text,
        recipient_name -> Text,
        recipient_email -> Nullable<Text>,
        name_consent -> Integer,
        narrative -> Nullable<Text>,
        evidence_url -> Nullable<Text>,
        format -> Text,
        credential -> Text,
        status_list_id -> Text,
        status_index -> Integer,
        public_token -> Text,
        claim_code -> Nullable<Text>,
        idempotency_key -> Nullable<Text>,
        awarded_by -> Text,
        revoked_at -> Nullable<BigInt>,
        revocation_reason -> Nullable<Text>,
        created_at -> BigInt,
        credential_jwt -> Nullable<Text>,
        claimed_at -> Nullable<BigInt>,
        delivery_status -> Nullable<Text>,
        delivery_error -> Nullable<Text>,
        delivery_at -> Nullable<BigInt>,
        recipient_language -> Text,
        search_text -> Nullable<Text>,
    }
}

diesel::table! {
    workshops (id) {
        id -> Text,
        org_id -> Text,
        achievement_id -> Text,
        title -> Text,
        created_by -> Text,
        created_at -> BigInt,
    }
}

diesel::table! {
    workshop_sessions (id) {
        id -> Text,
        workshop_id -> Text,
        position -> Integer,
        label -> Text,
        held_on -> Nullable<Text>,
    }
}

diesel::table! {
    workshop_participants (id) {
        id -> Text,
        workshop_id -> Text,
        name -> Text,
        email -> Nullable<Text>,
        name_consent -> Integer,
        award_id -> Nullable<Text>,
        created_at -> BigInt,
        language -> Text,
    }
}

diesel::table! {
    attendance (session_id, participant_id) {
        session_id -> Text,
        participant_id -> Text,
    }
}

diesel::table! {
    network_members (network_id, member_id) {
        network_id -> Text,
        member_id -> Text,
        created_at -> BigInt,
    }
}

diesel::joinable!(org_keys -> organisations (org_id));
diesel::joinable!(workshops -> organisations (org_id));
diesel::joinable!(workshop_sessions -> workshops (workshop_id));
diesel::joinable!(workshop_participants -> workshops (workshop_id));
diesel::joinable!(memberships -> organisations (org_id));
diesel::joinable!(memberships -> users (user_id));
diesel::joinable!(sessions -> users (user_id));
diesel::joinable!(api_tokens -> users (user_id));
diesel::joinable!(images -> organisations (org_id));
diesel::joinable!(achievements -> organisations (org_id));
diesel::joinable!(achievement_versions -> achievements (achievement_id));
diesel::joinable!(status_lists -> organisations (org_id));
diesel::joinable!(awards -> achievement_versions (achievement_version_id));

diesel::allow_tables_to_appear_in_same_query!(
    organisations,
    org_keys,
    users,
    memberships,
    sessions,
    api_tokens,
    throttles,
    audit_log,
    images,
    achievements,
    achievement_versions,
    status_lists,
    awards,
    workshops,
    workshop_sessions,
    workshop_participants,
    attendance,
    network_members,
);
