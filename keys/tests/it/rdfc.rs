//! The bounded RDFC-1.0 of the general canonicalisation path: the W3C test suite, the
//! reference implementation (`rdf-canon`) on seeded random datasets, and the hostile
//! graphs it must refuse quickly instead of overflowing its stack or stalling.

use std::path::PathBuf;

use keys::di::{canonicalize_quads, ComplexityLimit, DataIntegrityError};
use oxrdf::{BlankNode, GraphName, Literal, NamedNode, Quad, Subject, Term};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use sha2::Sha256;

fn suite_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/rdfc10")
}

fn parse(text: &str) -> Vec<Quad> {
    oxttl::NQuadsParser::new()
        .for_slice(text.as_bytes())
        .map(|quad| quad.expect("valid N-Quads"))
        .collect()
}

fn too_complex(result: Result<String, DataIntegrityError>) -> Option<ComplexityLimit> {
    match result {
        Err(DataIntegrityError::TooComplex(limit)) => Some(limit),
        _ => None,
    }
}

#[test]
fn the_w3c_test_suite_passes() {
    let mut passed = 0;
    for entry in std::fs::read_dir(suite_dir()).expect("suite") {
        let path = entry.expect("entry").path();
        let name = path
            .file_name()
            .expect("name")
            .to_string_lossy()
            .into_owned();
        let Some(test) = name.strip_suffix("-in.nq") else {
            continue;
        };
        let input = parse(&std::fs::read_to_string(&path).expect("input"));
        let expected = suite_dir().join(format!("{test}-rdfc10.nq"));
        if expected.exists() {
            let expected = std::fs::read_to_string(expected).expect("expected");
            let actual = canonicalize_quads(&input).unwrap_or_else(|e| panic!("{test}: {e}"));
            assert_eq!(actual, expected, "{test}");
            passed += 1;
        } else {
            // test074, the negative "poison - Clique Graph" test.
            assert_eq!(
                too_complex(canonicalize_quads(&input)),
                Some(ComplexityLimit::Work),
                "{test}"
            );
        }
    }
    assert_eq!(passed, 63);
}

/// A random dataset of at most `max_blank` blank nodes (so that no N-degree result
/// holds more than ten temporary identifiers, where `rdf-canon` departs from the
/// specification), few predicates and values, so that blank nodes often share hashes.
fn random_dataset(rng: &mut StdRng, max_blank: usize) -> Vec<Quad> {
    let blanks = rng.gen_range(1..=max_blank);
    let blank =
        |rng: &mut StdRng| BlankNode::new_unchecked(format!("n{}", rng.gen_range(0..blanks)));
    let iri = |rng: &mut StdRng| {
        NamedNode::new_unchecked(format!("http://example.org/{}", rng.gen_range(0..3)))
    };
    (0..rng.gen_range(1..=3 * max_blank))
        .map(|_| {
            let subject: Subject = if rng.gen_bool(0.8) {
                blank(rng).into()
            } else {
                iri(rng).into()
            };
            let object: Term = match rng.gen_range(0..4) {
                0 | 1 => blank(rng).into(),
                2 => iri(rng).into(),
                _ => Literal::new_simple_literal(["a", "b\n\"", "é"][rng.gen_range(0..3)]).into(),
            };
            let graph = match rng.gen_range(0..6) {
                0 => GraphName::BlankNode(blank(rng)),
                1 => GraphName::NamedNode(iri(rng)),
                _ => GraphName::DefaultGraph,
            };
            Quad::new(subject, iri(rng), object, graph)
        })
        .collect()
}

#[test]
fn the_reference_implementation_agrees_on_seeded_random_datasets() {
    let mut rng = StdRng::seed_from_u64(0x5244_4643);
    let options = rdf_canon::CanonicalizationOptions {
        hndq_call_limit: Some(100_000),
    };
    let (mut compared, mut n_degree) = (0, 0);
    for round in 0..3000 {
        let quads = random_dataset(&mut rng, if round % 2 == 0 { 4 } else { 9 });
        let Ok(reference) = rdf_canon::canonicalize_quads_with::<Sha256>(&quads, &options) else {
            continue;
        };
        match canonicalize_quads(&quads) {
            Ok(ours) => {
                assert_eq!(ours, reference, "round {round}: {quads:?}");
                compared += 1;
                let issued = rdf_canon::issue_quads(&quads).expect("issues");
                n_degree += usize::from(issued.len() > 1 && has_shared_first_degree(&quads));
            }
            Err(e) => assert!(
                matches!(e, DataIntegrityError::TooComplex(_)),
                "round {round}: {e}"
            ),
        }
    }
    assert!(compared > 2900, "{compared} compared");
    assert!(
        n_degree > 500,
        "only {n_degree} datasets reached the N-degree step"
    );
}

/// Whether two blank nodes are mentioned by the same number of quads, a cheap sign
/// (not proof) that the dataset needs the N-degree step; the count above only checks
/// that the random datasets are not all trivial.
fn has_shared_first_degree(quads: &[Quad]) -> bool {
    let mut mentions = std::collections::HashMap::<String, usize>::new();
    for quad in quads {
        if let Subject::BlankNode(node) = &quad.subject {
            *mentions.entry(node.as_str().to_owned()).or_default() += 1;
        }
        if let Term::BlankNode(node) = &quad.object {
            *mentions.entry(node.as_str().to_owned()).or_default() += 1;
        }
    }
    let mut counts: Vec<usize> = mentions.into_values().collect();
    counts.sort_unstable();
    counts.windows(2).any(|pair| pair[0] == pair[1])
}

/// `_:r0 p _:r1 . _:r1 p _:r2 ... _:r{n-1} p _:r0`: every node has the same
/// first-degree hash, and Hash N-Degree Quads follows the whole ring.
const STACK_KIB: usize = 512;

fn ring(nodes: usize) -> Vec<Quad> {
    let p = NamedNode::new_unchecked("http://example.org/p");
    (0..nodes)
        .map(|i| {
            Quad::new(
                BlankNode::new_unchecked(format!("r{i}")),
                p.clone(),
                BlankNode::new_unchecked(format!("r{}", (i + 1) % nodes)),
                GraphName::DefaultGraph,
            )
        })
        .collect()
}

#[test]
fn a_long_ring_is_refused_for_its_depth_without_overflowing_the_stack() {
    // Two thousand nodes overflowed the stack of `rdf-canon` (a process abort); run on
    // a thread with a small stack to show the recursion is bounded.
    let refused = std::thread::Builder::new()
        .stack_size(STACK_KIB * 1024)
        .spawn(|| too_complex(canonicalize_quads(&ring(2000))))
        .expect("spawns")
        .join()
        .expect("no overflow, no panic");
    assert_eq!(refused, Some(ComplexityLimit::Depth));
    assert_eq!(
        too_complex(canonicalize_quads(&ring(420))),
        Some(ComplexityLimit::Depth)
    );
}

#[test]
fn short_rings_are_canonicalised_in_issue_order() {
    let options = rdf_canon::CanonicalizationOptions {
        hndq_call_limit: None,
    };
    let reference = |quads: &[Quad]| {
        rdf_canon::canonicalize_quads_with::<Sha256>(quads, &options).expect("reference")
    };
    let quads = ring(8);
    assert_eq!(
        canonicalize_quads(&quads).expect("canonical"),
        reference(&quads)
    );
    // Twelve nodes: one N-degree result issues `_:b0` to `_:b11`, given canonical
    // labels in that order (RDFC-1.0 §4.4.3 step 5.3.1), so the ring reads c14n0 ->
    // c14n1 -> ... -> c14n11 -> c14n0. `rdf-canon` takes `_:b10` and `_:b11` before
    // `_:b2` and departs from it.
    let quads = ring(12);
    let mut expected: Vec<String> = (0..12)
        .map(|i| {
            format!(
                "_:c14n{i} <http://example.org/p> _:c14n{} .\n",
                (i + 1) % 12
            )
        })
        .collect();
    expected.sort();
    assert_eq!(
        canonicalize_quads(&quads).expect("canonical"),
        expected.concat()
    );
    assert_ne!(reference(&quads), expected.concat());
}

#[test]
fn many_interchangeable_neighbours_exhaust_the_work_budget() {
    // A hub linked to twelve leaves that all look alike, twice over so that the hub
    // itself shares its hash: 12! permutations, each cheap, most never recursing.
    let p = NamedNode::new_unchecked("http://example.org/p");
    let mut quads = Vec::new();
    for hub in ["h0", "h1"] {
        for leaf in 0..12 {
            quads.push(Quad::new(
                BlankNode::new_unchecked(hub),
                p.clone(),
                BlankNode::new_unchecked(format!("{hub}l{leaf}")),
                GraphName::DefaultGraph,
            ));
        }
    }
    assert_eq!(
        too_complex(canonicalize_quads(&quads)),
        Some(ComplexityLimit::Work)
    );
}
