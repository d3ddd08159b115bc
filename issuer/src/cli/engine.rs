//! The engine commands `issuer keygen` and `issuer sign`: thin wrappers over
//! the `keys` crate for scripts and interoperability tests. The service signs
//! with the organisation's stored keys instead (`crate::org_keys`).

use std::io::Read;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{anyhow, bail, Context};
use chrono::Utc;
use keys::di::{sign_eddsa_rdfc_2022, ProofOptions};
use keys::did::{did_jwk, did_key, did_key_verification_method};
use keys::{Jwk, KeyAlgorithm, SigningKey};
use serde::Serialize;
use serde_json::Value;

/// Largest unsigned credential `issuer sign` reads.
const MAX_UNSIGNED_BYTES: u64 = 1024 * 1024;

/// Arguments of `issuer keygen`.
#[derive(Debug, clap::Args)]
pub struct KeygenArgs {
    /// Directory the private key is written to (created if missing).
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
    /// Key algorithm: ed25519 (Data Integrity and EdDSA JWT) or rs256.
    #[arg(long, default_value = "ed25519", value_parser = ["ed25519", "rs256"])]
    pub alg: String,
}

/// Arguments of `issuer sign`.
#[derive(Debug, clap::Args)]
pub struct SignArgs {
    /// The private key file (PKCS#8 PEM, from `issuer keygen`).
    #[arg(long, value_name = "FILE")]
    pub key: PathBuf,
    /// Proof format: `di` (Data Integrity eddsa-rdfc-2022) or `jwt` (VC-JWT).
    #[arg(long, default_value = "di", value_parser = ["di", "jwt"])]
    pub format: String,
    /// The issuer id; by default the key's own did:key (Ed25519) or did:jwk (RSA).
    #[arg(long, value_name = "ID")]
    pub issuer: Option<String>,
    /// The verification method (key URL); required with an --issuer that is
    /// not the key's own DID.
    #[arg(long, value_name = "URL")]
    pub verification_method: Option<String>,
    /// The unsigned credential, or `-` for standard input.
    pub input: String,
}

/// What `issuer keygen` prints: the new key's own identity and where its
/// private half was written.
#[derive(Debug, Serialize)]
struct Generated {
    /// The key's own DID (did:key for Ed25519, did:jwk for RSA).
    did: String,
    /// The key's URL under that DID.
    #[serde(rename = "verificationMethod")]
    verification_method: String,
    /// The public key.
    #[serde(rename = "publicKeyJwk")]
    public_key_jwk: Jwk,
    /// The PKCS#8 PEM file holding the private key.
    #[serde(rename = "privateKeyFile")]
    private_key_file: PathBuf,
}

/// The key's own self-certifying DID and its verification method.
fn own_identity(key: &SigningKey) -> (String, String) {
    match key {
        SigningKey::Ed25519(key) => {
            let public = key.verifying_key();
            (did_key(&public), did_key_verification_method(&public))
        }
        SigningKey::Rsa(_) => {
            let did = did_jwk(&key.public_jwk());
            let method = format!("{did}#0");
            (did, method)
        }
    }
}

/// Runs `issuer keygen`.
pub fn keygen(args: KeygenArgs) -> anyhow::Result<ExitCode> {
    let algorithm = match args.alg.as_str() {
        "rs256" => KeyAlgorithm::Rs256,
        _ => KeyAlgorithm::Ed25519,
    };
    std::fs::create_dir_all(&args.out)
        .with_context(|| format!("cannot create {}", args.out.display()))?;
    let key = SigningKey::generate(algorithm)?;
    let file = args.out.join(format!("{}-private.pem", args.alg));
    if file.exists() {
        bail!(
            "{} already exists; refusing to overwrite a key",
            file.display()
        );
    }
    key.save(&file)?;
    let (did, verification_method) = own_identity(&key);
    let printed = Generated {
        did,
        verification_method,
        public_key_jwk: key.public_jwk(),
        private_key_file: file,
    };
    println!("{}", serde_json::to_string_pretty(&printed)?);
    Ok(ExitCode::SUCCESS)
}

fn read_input(input: &str) -> anyhow::Result<Value> {
    let mut text = String::new();
    let reader: Box<dyn Read> = if input == "-" {
        Box::new(std::io::stdin())
    } else {
        Box::new(std::fs::File::open(input).with_context(|| format!("cannot read {input}"))?)
    };
    reader
        .take(MAX_UNSIGNED_BYTES + 1)
        .read_to_string(&mut text)
        .with_context(|| format!("cannot read {input} as UTF-8 text"))?;
    if text.len() as u64 > MAX_UNSIGNED_BYTES {
        bail!("{input} is larger than {MAX_UNSIGNED_BYTES} bytes");
    }
    serde_json::from_str(&text).with_context(|| format!("{input} is not JSON"))
}

/// Sets the credential's issuer id, keeping an embedded profile.
fn set_issuer(credential: &mut Value, issuer: &str) -> anyhow::Result<()> {
    let object = credential
        .as_object_mut()
        .ok_or_else(|| anyhow!("the credential is not a JSON object"))?;
    match object.get_mut("issuer") {
        Some(Value::Object(profile)) => {
            profile.insert("id".into(), issuer.into());
        }
        _ => {
            object.insert("issuer".into(), issuer.into());
        }
    }
    Ok(())
}

/// Runs `issuer sign`.
pub fn sign(args: SignArgs) -> anyhow::Result<ExitCode> {
    let key = SigningKey::load(&args.key)?;
    let (own_did, own_method) = own_identity(&key);
    let (issuer, method) = match (args.issuer, args.verification_method) {
        (None, None) => (own_did, own_method),
        (None, Some(method)) => (own_did, method),
        (Some(issuer), Some(method)) => (issuer, method),
        (Some(issuer), None) if issuer == own_did => (issuer, own_method),
        (Some(issuer), None) => bail!(
            "--issuer {issuer} is not this key's own DID: give --verification-method, \
             the key URL that the issuer's document lists under assertionMethod"
        ),
    };
    let mut credential = read_input(&args.input)?;
    set_issuer(&mut credential, &issuer)?;
    if let Err(e) = schemas::validate_credential(&credential) {
        eprintln!("error: the credential is refused: it does not conform to Open Badges 3.0");
        for finding in e.findings() {
            eprintln!("  {finding}");
        }
        if e.findings().is_empty() {
            eprintln!("  {e}");
        }
        return Ok(ExitCode::from(2));
    }
    let now = Utc::now();
    match args.format.as_str() {
        "jwt" => {
            let token = keys::sign_vc_jwt(&credential, &key, &method, now)?;
            println!("{token}");
        }
        _ => {
            let SigningKey::Ed25519(ed25519) = &key else {
                bail!("Data Integrity eddsa-rdfc-2022 needs an Ed25519 key; use --format jwt with an RSA key");
            };
            let signed =
                sign_eddsa_rdfc_2022(&credential, ed25519, ProofOptions::new(method, now))?;
            println!("{}", serde_json::to_string_pretty(&signed)?);
        }
    }
    Ok(ExitCode::SUCCESS)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// `issuer keygen` prints what it printed when it built the JSON by
    /// hand: the same members, in the same order.
    #[test]
    fn keygen_prints_the_identity_in_order() {
        for algorithm in [KeyAlgorithm::Ed25519, KeyAlgorithm::Rs256] {
            let key = SigningKey::generate(algorithm).unwrap();
            let (did, method) = own_identity(&key);
            let file = PathBuf::from("/keys/ed25519-private.pem");
            let expected = json!({
                "did": did,
                "verificationMethod": method,
                "publicKeyJwk": key.public_jwk(),
                "privateKeyFile": file,
            });
            let printed = Generated {
                did,
                verification_method: method,
                public_key_jwk: key.public_jwk(),
                private_key_file: file,
            };
            assert_eq!(
                serde_json::to_string_pretty(&printed).unwrap(),
                serde_json::to_string_pretty(&expected).unwrap()
            );
        }
    }
}
