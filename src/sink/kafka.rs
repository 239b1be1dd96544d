//! Kafka sink (cargo feature `kafka`): one record per event, keyed by the
//! article `id` so every version of an article lands in one partition, with
//! the `event_id` in a record header.
//!
//! The producer is idempotent (`enable.idempotence=true`, `acks=all`): the
//! broker drops librdkafka's own retries, so a network hiccup does not
//! duplicate a record. `write` only enqueues; `flush` waits until the
//! brokers acknowledged every record written since the last flush, and the
//! daemon marks events delivered only after that. A topic cannot be scanned
//! cheaply for what it already holds, so after a crash [`Sink::recover`]
//! claims nothing and the instance's undelivered outbox events are sent
//! again: delivery is at least once, and consumers drop repeats by
//! `event_id`.

use std::time::Duration;

use anyhow::{Context, Result, anyhow};
use rdkafka::ClientConfig;
use rdkafka::error::{KafkaError, RDKafkaErrorCode};
use rdkafka::message::{Header, OwnedHeaders};
use rdkafka::producer::{DeliveryFuture, FutureProducer, FutureRecord, Producer};
use serde::Deserialize;

use super::Sink;
use crate::config::KafkaConfig;
use crate::store::Checkpoint;

/// How long librdkafka keeps retrying one record before it reports failure
/// (`message.timeout.ms`, which `kafka_properties` may change).
const MESSAGE_TIMEOUT: Duration = Duration::from_secs(60);

pub struct KafkaSink {
    producer: FutureProducer,
    topic: String,
    /// Records sent since the last flush, with their event ids for errors.
    in_flight: Vec<(String, DeliveryFuture)>,
}

/// The two fields a record needs from an event line.
#[derive(Deserialize)]
struct Ids<'a> {
    #[serde(borrow)]
    id: &'a str,
    #[serde(borrow)]
    event_id: &'a str,
}

impl KafkaSink {
    pub fn new(cfg: &KafkaConfig) -> Result<Self> {
        let mut client = ClientConfig::new();
        client.set(
            "message.timeout.ms",
            MESSAGE_TIMEOUT.as_millis().to_string(),
        );
        for (k, v) in &cfg.properties {
            client.set(k, v);
        }
        // Set last: the delivery guarantee depends on them.
        client
            .set("bootstrap.servers", &cfg.brokers)
            .set("enable.idempotence", "true")
            .set("acks", "all");
        let producer: FutureProducer = client
            .create()
            .with_context(|| format!("creating the Kafka producer for {}", cfg.brokers))?;
        Ok(KafkaSink {
            producer,
            topic: cfg.topic.clone(),
            in_flight: Vec::new(),
        })
    }

    /// Waits for every record in flight; the first failure is the error.
    async fn settle(&mut self) -> Result<()> {
        let mut first_error = None;
        for (event_id, fut) in self.in_flight.drain(..) {
            let outcome = match fut.await {
                Ok(Ok(_)) => continue,
                Ok(Err((e, _))) => anyhow!("Kafka did not take event {event_id}: {e}"),
                Err(_) => anyhow!("the Kafka producer dropped event {event_id}"),
            };
            first_error.get_or_insert(outcome);
        }
        first_error.map_or(Ok(()), Err)
    }
}

impl Sink for KafkaSink {
    async fn write(&mut self, line: &str) -> Result<()> {
        let ids: Ids = serde_json::from_str(line).context("an event line without id/event_id")?;
        loop {
            let headers = OwnedHeaders::new().insert(Header {
                key: "event_id",
                value: Some(ids.event_id),
            });
            let record = FutureRecord::to(&self.topic)
                .key(ids.id)
                .payload(line)
                .headers(headers);
            match self.producer.send_result(record) {
                Ok(fut) => {
                    self.in_flight.push((ids.event_id.to_string(), fut));
                    return Ok(());
                }
                // The local queue is full: wait for what is in flight.
                Err((KafkaError::MessageProduction(RDKafkaErrorCode::QueueFull), _)) => {
                    self.settle().await?;
                }
                Err((e, _)) => {
                    return Err(e)
                        .with_context(|| format!("sending to Kafka topic {}", self.topic));
                }
            }
        }
    }

    async fn flush(&mut self) -> Result<Option<Checkpoint>> {
        self.settle().await?;
        Ok(None)
    }

    fn reopen(&mut self) -> Result<()> {
        Ok(())
    }
}

impl Drop for KafkaSink {
    fn drop(&mut self) {
        // Records still queued get a last chance (a clean stop has already
        // flushed; this covers error paths).
        let _ = self.producer.flush(Duration::from_secs(5));
    }
}
