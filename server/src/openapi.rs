//! The OpenAPI 3.1 document, generated from the types: utoipa builds the paths and operations,
//! schemars generates every schema (JSON Schema 2020-12, which OpenAPI 3.1 uses as is) straight
//! from the core's request and response types, so nothing here restates a field.

use dealscore::api::{
    BacktestRequest, ErrorBody, FitRequest, NextStepsRequest, QaRequest, QualityRequest, ReportRequest, ScoreRequest,
    ScorecardRequest,
};
use dealscore::model::{Model, ModelSetFile};
use dealscore::{
    Backtest, DealReport, Explanation, Fit, NextSteps, QualityReport, ReportNotice, Scorecard, StaleReport,
};
use schemars::generate::SchemaSettings;
use serde_json::{Map, Value, json};
use utoipa::openapi::content::ContentBuilder;
use utoipa::openapi::path::{HttpMethod, OperationBuilder};
use utoipa::openapi::request_body::RequestBodyBuilder;
use utoipa::openapi::security::{Http, HttpAuthScheme, SecurityRequirement, SecurityScheme};
use utoipa::openapi::{
    ComponentsBuilder, Content, InfoBuilder, OpenApiBuilder, PathItem, PathsBuilder, Ref, Required, ResponseBuilder,
};

use crate::routes::Health;

/// One operation of the API.
pub(crate) struct Endpoint {
    pub method: HttpMethod,
    pub path: &'static str,
    pub id: &'static str,
    pub summary: &'static str,
    /// Component name of the request body (POST only).
    pub request: Option<&'static str>,
    /// Component name of the 200 body.
    pub response: &'static str,
    /// Under `/v1/`: needs the token when one is set.
    pub protected: bool,
}

const fn post(
    path: &'static str,
    id: &'static str,
    summary: &'static str,
    request: &'static str,
    response: &'static str,
) -> Endpoint {
    Endpoint { method: HttpMethod::Post, path, id, summary, request: Some(request), response, protected: true }
}

/// Every route of [`crate::router`]; a test checks the two agree.
pub(crate) const ENDPOINTS: &[Endpoint] = &[
    post(
        "/v1/score",
        "score",
        "One report per deal: energy on three axes, quality, signals, status",
        "ScoreRequest",
        "ScoreResponse",
    ),
    post("/v1/explain", "explain", "Each activity's energy, item by item", "ScoreRequest", "ExplainResponse"),
    post(
        "/v1/stale",
        "stale",
        "Deals with no contact (or no energy) for N days (未接触リスト)",
        "ScoreRequest",
        "StaleReport",
    ),
    post(
        "/v1/quality",
        "quality",
        "Replay one deal's quality events as of a date (null when the model has no indicators)",
        "QualityRequest",
        "QualityResponse",
    ),
    post(
        "/v1/next-steps",
        "next_steps",
        "What is left in the deal's process stage and who can do it",
        "NextStepsRequest",
        "NextSteps",
    ),
    post(
        "/v1/reports",
        "reports",
        "A new daily report (日報): the members to notify (immediate and digest) and what it changed",
        "ReportRequest",
        "ReportNotice",
    ),
    post(
        "/v1/qa/search",
        "qa_search",
        "The knowledge base's best answers to a rep's question, or the deal members to ask",
        "QaRequest",
        "QaAnswer",
    ),
    post(
        "/v1/backtest",
        "backtest",
        "How well each score told won deals from lost ones, each closed deal scored at its snapshot (AUC, lift, win rate by status, insights, rows)",
        "BacktestRequest",
        "Backtest",
    ),
    post(
        "/v1/fit",
        "fit",
        "Learn an integer points table from the closed deals (OUTCOMES §4): the fitted model, base and fitted points, train/test AUC and log loss, calibration; stopped with 503 timeout at the request timeout",
        "FitRequest",
        "Fit",
    ),
    post(
        "/v1/scorecard",
        "scorecard",
        "Learn an integer scorecard from any numeric table and 0/1 labels (OUTCOMES §5); stopped with 503 timeout at the request timeout",
        "ScorecardRequest",
        "Scorecard",
    ),
    Endpoint {
        method: HttpMethod::Get,
        path: "/v1/model",
        id: "model",
        summary: "The server's model or model set",
        request: None,
        response: "ModelResponse",
        protected: true,
    },
    Endpoint {
        method: HttpMethod::Get,
        path: "/healthz",
        id: "healthz",
        summary: "Liveness",
        request: None,
        response: "Health",
        protected: false,
    },
    Endpoint {
        method: HttpMethod::Get,
        path: "/openapi.json",
        id: "openapi",
        summary: "This document",
        request: None,
        response: "OpenApiDocument",
        protected: false,
    },
];

const SECURITY: &str = "bearer";

const DESCRIPTION: &str = "Deterministic sales-deal scoring (dealscore) over HTTP. Bodies are the core's JSON shapes; \
errors are `{code, message, path?}` with stable codes. Limits (defaults): body 16 MiB, 100,000 activities, \
20,000 deals, 1,000 items in any other list or inline-model array/object, 16 KiB per string, nesting depth 128, \
30 s per request. See docs/web-api.md.";

/// The OpenAPI 3.1 document of the API; `with_token` adds the bearer security scheme to the
/// `/v1/…` operations.
pub fn openapi(with_token: bool) -> Value {
    document(with_token)
}

pub(crate) fn document(with_token: bool) -> Value {
    let mut paths = PathsBuilder::new();
    for e in ENDPOINTS {
        paths = paths.path(e.path, PathItem::new(e.method.clone(), operation(e, with_token)));
    }
    let mut components = ComponentsBuilder::new();
    if with_token {
        components = components.security_scheme(SECURITY, SecurityScheme::Http(Http::new(HttpAuthScheme::Bearer)));
    }
    let doc = OpenApiBuilder::new()
        .info(
            InfoBuilder::new()
                .title("dealscore")
                .version(env!("CARGO_PKG_VERSION"))
                .description(Some(DESCRIPTION))
                .build(),
        )
        .paths(paths.build())
        .components(Some(components.build()))
        .build();
    let mut value = serde_json::to_value(doc).expect("the document serialises");
    value["openapi"] = json!("3.1.0");
    let components = value.as_object_mut().expect("an object").entry("components").or_insert_with(|| json!({}));
    components["schemas"] = Value::Object(schemas());
    value
}

fn operation(e: &Endpoint, with_token: bool) -> OperationBuilder {
    let schema = |name: &str| Content::new(Some(Ref::from_schema_name(name)));
    let error = |description: &str| {
        ResponseBuilder::new().description(description).content("application/json", schema("ErrorBody")).build()
    };
    let mut op = OperationBuilder::new().operation_id(Some(e.id)).summary(Some(e.summary)).response(
        "200",
        ResponseBuilder::new().description("OK").content("application/json", schema(e.response)).build(),
    );
    if let Some(request) = e.request {
        let body = ContentBuilder::new().schema(Some(Ref::from_schema_name(request))).example(example(e.id)).build();
        op = op
            .request_body(Some(RequestBodyBuilder::new().required(Some(Required::True)).content("application/json", body).build()))
            .response("400", error("Not a well-formed request: not UTF-8, not JSON, wrong shape or type, or an impossible date (invalid_input, invalid_date)"))
            .response("408", error("The body did not arrive within the request timeout (request_timeout)"))
            .response("413", error("The body exceeds the size limit (body_too_large)"))
            .response("415", error("The body is not sent as application/json (unsupported_media_type)"))
            .response("422", error("A well-formed request that is refused: unknown ids, duplicates, an invalid inline model (the core's codes), or a list or string over its limit (limit_exceeded)"))
            .response("500", error("A bug (internal); the server goes on"))
            .response("503", error("The server could not answer within the request timeout (timeout); retry later"));
    }
    if e.protected && with_token {
        op = op
            .security(SecurityRequirement::new(SECURITY, Vec::<String>::new()))
            .response("401", error("Missing or wrong bearer token (unauthorized)"));
    }
    op
}

/// A request the operation answers with 200, shown by API browsers and sent by schemathesis (most
/// generated requests break a rule a schema cannot state, such as one label per row). The worked
/// examples of docs/web-api.md; a test posts each one.
fn example(id: &str) -> Option<Value> {
    let text = match id {
        "score" => include_str!("examples/score.json"),
        "explain" => include_str!("examples/explain.json"),
        "stale" => include_str!("examples/stale.json"),
        "quality" => include_str!("examples/quality.json"),
        "next_steps" => include_str!("examples/next_steps.json"),
        "reports" => include_str!("examples/reports.json"),
        "qa_search" => include_str!("examples/qa_search.json"),
        "backtest" => include_str!("examples/backtest.json"),
        "fit" => include_str!("examples/fit.json"),
        "scorecard" => include_str!("examples/scorecard.json"),
        _ => return None,
    };
    Some(serde_json::from_str(text).expect("the examples are JSON"))
}

/// Every component schema: request types under the deserialisation contract (fields with
/// defaults are optional), response types under the serialisation contract (fields that are
/// always written are required).
fn schemas() -> Map<String, Value> {
    let settings = |s: SchemaSettings| {
        s.with(|s| {
            s.definitions_path = "/components/schemas".into();
            s.meta_schema = None;
        })
    };
    let mut input = settings(SchemaSettings::draft2020_12()).for_deserialize().into_generator();
    let model =
        json!({"anyOf": [input.subschema_for::<Model>(), input.subschema_for::<ModelSetFile>(), {"type": "null"}]});
    let mut requests = Map::new();
    requests.insert("ScoreRequest".into(), input.subschema_for::<ScoreRequest>().to_value());
    requests.insert("QualityRequest".into(), input.subschema_for::<QualityRequest>().to_value());
    requests.insert("NextStepsRequest".into(), input.subschema_for::<NextStepsRequest>().to_value());
    requests.insert("QaRequest".into(), input.subschema_for::<QaRequest>().to_value());
    requests.insert("BacktestRequest".into(), input.subschema_for::<BacktestRequest>().to_value());
    requests.insert("FitRequest".into(), input.subschema_for::<FitRequest>().to_value());
    requests.insert("ScorecardRequest".into(), input.subschema_for::<ScorecardRequest>().to_value());
    requests.insert("ReportRequest".into(), input.subschema_for::<ReportRequest>().to_value());
    let mut out = input.take_definitions(true);
    // serde refuses integers outside their Rust type; say so (schemars writes only the format).
    for schema in out.values_mut() {
        bound_integers(schema);
    }
    // `model` is a raw JSON value in the request types (it is validated as a model or a model
    // set); describe it as one.
    for name in ["ScoreRequest", "QualityRequest", "NextStepsRequest", "BacktestRequest", "FitRequest", "ReportRequest"]
    {
        if let Some(property) = out.get_mut(name).and_then(|s| s.pointer_mut("/properties/model")) {
            let description = property.get("description").cloned();
            *property = model.clone();
            if let Some(d) = description {
                property["description"] = d;
            }
        }
    }

    let mut output = settings(SchemaSettings::draft2020_12()).for_serialize().into_generator();
    let mut named = Map::new();
    named.insert("ScoreResponse".into(), output.subschema_for::<Vec<DealReport>>().to_value());
    named.insert("ExplainResponse".into(), output.subschema_for::<Vec<Explanation>>().to_value());
    named.insert("QualityResponse".into(), output.subschema_for::<Option<QualityReport>>().to_value());
    named.insert("StaleReport".into(), output.subschema_for::<StaleReport>().to_value());
    named.insert("NextSteps".into(), output.subschema_for::<NextSteps>().to_value());
    named.insert("ReportNotice".into(), output.subschema_for::<ReportNotice>().to_value());
    named.insert("Health".into(), output.subschema_for::<Health>().to_value());
    named.insert("ErrorBody".into(), output.subschema_for::<ErrorBody>().to_value());
    let set = json!({"anyOf": [output.subschema_for::<Model>(), output.subschema_for::<ModelSetFile>()]});
    named.insert("ModelResponse".into(), set);
    named.insert("OpenApiDocument".into(), json!({"type": "object"}));
    named.insert("QaAnswer".into(), output.subschema_for::<dealscore::QaAnswer>().to_value());
    named.insert("Backtest".into(), output.subschema_for::<Backtest>().to_value());
    named.insert("Fit".into(), output.subschema_for::<Fit>().to_value());
    named.insert("Scorecard".into(), output.subschema_for::<Scorecard>().to_value());
    let mut responses = output.take_definitions(true);
    for (name, schema) in named {
        // A bare `$ref` to a definition of the same name is the definition itself.
        if schema.get("$ref").and_then(Value::as_str) != Some(&format!("#/components/schemas/{name}")) {
            responses.insert(name, schema);
        }
    }

    // A type may appear on both sides with different required fields: keep both, renaming the
    // output one.
    let clashes: Vec<String> =
        responses.iter().filter(|(k, v)| out.get(*k).is_some_and(|w| w != *v)).map(|(k, _)| k.clone()).collect();
    for (name, mut schema) in responses {
        for c in &clashes {
            rename_refs(&mut schema, c, &format!("{c}Output"));
        }
        let name = if clashes.contains(&name) { format!("{name}Output") } else { name };
        out.insert(name, schema);
    }
    out
}

/// Adds the bounds of each integer `format` that schemars leaves implicit (`uint32` has
/// `minimum: 0` but no maximum), so generated clients and schemathesis stay within what the
/// request types accept.
fn bound_integers(v: &mut Value) {
    match v {
        Value::Object(map) => {
            let bounds: Option<(i128, i128)> = match map.get("format").and_then(Value::as_str) {
                Some("uint8") => Some((0, u8::MAX.into())),
                Some("uint16") => Some((0, u16::MAX.into())),
                Some("uint32") => Some((0, u32::MAX.into())),
                Some("uint64" | "uint") => Some((0, u64::MAX.into())),
                Some("int32") => Some((i32::MIN.into(), i32::MAX.into())),
                Some("int64" | "int") => Some((i64::MIN.into(), i64::MAX.into())),
                _ => None,
            };
            if let Some((min, max)) = bounds {
                let number = |n: i128| serde_json::Number::from_i128(n).map_or(Value::Null, Value::Number);
                map.entry("minimum").or_insert_with(|| number(min));
                map.entry("maximum").or_insert_with(|| number(max));
            }
            map.values_mut().for_each(bound_integers);
        }
        Value::Array(items) => items.iter_mut().for_each(bound_integers),
        _ => {}
    }
}

fn rename_refs(v: &mut Value, from: &str, to: &str) {
    match v {
        Value::Object(map) => {
            for (k, item) in map.iter_mut() {
                if k == "$ref" && item.as_str() == Some(&format!("#/components/schemas/{from}")) {
                    *item = json!(format!("#/components/schemas/{to}"));
                } else {
                    rename_refs(item, from, to);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|i| rename_refs(i, from, to)),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refs(v: &Value, out: &mut Vec<String>) {
        match v {
            Value::Object(map) => {
                for (k, item) in map {
                    match item.as_str() {
                        Some(r) if k == "$ref" => out.push(r.to_owned()),
                        _ => refs(item, out),
                    }
                }
            }
            Value::Array(items) => items.iter().for_each(|i| refs(i, out)),
            _ => {}
        }
    }

    #[test]
    fn every_ref_resolves() {
        for with_token in [false, true] {
            let doc = document(with_token);
            assert_eq!(doc["openapi"], "3.1.0");
            let mut all = Vec::new();
            refs(&doc, &mut all);
            assert!(all.len() > 20);
            for r in all {
                assert!(doc.pointer(r.trim_start_matches('#')).is_some(), "dangling {r}");
            }
            assert_eq!(doc.pointer("/components/securitySchemes/bearer").is_some(), with_token);
        }
    }

    #[test]
    fn request_schemas_come_from_the_types() {
        let doc = document(false);
        let score = &doc["components"]["schemas"]["ScoreRequest"];
        assert_eq!(score["required"], json!(["as_of"]));
        assert_eq!(score["additionalProperties"], json!(false));
        assert!(score["properties"]["model"]["anyOf"].is_array());
        assert_eq!(doc["components"]["schemas"]["ScoreResponse"]["type"], "array");
    }

    /// The document states what the server enforces, so schemathesis and generated clients do
    /// not send what is bound to be refused.
    #[test]
    fn request_schemas_carry_the_servers_constraints() {
        let doc = document(false);
        let s = &doc["components"]["schemas"];
        let date = &s["Date"]["pattern"];
        assert_eq!(date, "^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$");
        for (schema, field) in [("Activity", "id"), ("Activity", "deal"), ("Deal", "id"), ("Member", "user")] {
            assert_eq!(s[schema]["properties"][field]["minLength"], 1, "{schema}.{field}");
        }
        assert_eq!(s["ScoreRequest"]["properties"]["days"]["maximum"], u32::MAX);
        assert_eq!(s["ScoreRequest"]["properties"]["days"]["minimum"], 0);
        assert_eq!(s["QaRequest"]["properties"]["k"]["maximum"], 1000);
        assert_eq!(s["Activity"]["properties"]["attendees"]["maximum"], u32::MAX);
        assert_eq!(s["Model"]["properties"]["schema"]["minimum"], 1);
        assert_eq!(s["Model"]["properties"]["schema"]["maximum"], 1);
        assert_eq!(s["ActionDef"]["properties"]["points"]["maximum"], 1_000_000_000);
        assert_eq!(s["ContinuityConfig"]["properties"]["periods"]["maximum"], 1000);
        for request in [
            "ScoreRequest",
            "QualityRequest",
            "NextStepsRequest",
            "QaRequest",
            "ReportRequest",
            "Model",
            "ModelSetFile",
        ] {
            assert_eq!(s[request]["additionalProperties"], false, "{request}");
        }
        // Activities and deals ignore unknown keys (CRM exports carry extra columns).
        assert!(s["Activity"].get("additionalProperties").is_none());
    }
}
