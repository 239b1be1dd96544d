//! The Kafka sink against librdkafka's in-process mock cluster (`cargo test
//! --features kafka`); without the feature only the configuration checks run.

mod support;

use std::path::Path;

#[test]
fn kafka_output_needs_brokers_and_topic_and_no_path() {
    let path = Path::new("/etc/newsflow/newsflow.toml");
    let errs = newsflow::config::parse("[output]\nkafka_brokers = \"k:9092\"\n", path).unwrap_err();
    assert!(errs.to_string().contains("go together"), "{errs}");
    let errs = newsflow::config::parse(
        "[output]\npath = \"x.ndjson\"\nkafka_brokers = \"k:9092\"\nkafka_topic = \"t\"\n",
        path,
    )
    .unwrap_err();
    assert!(errs.to_string().contains("exclude each other"), "{errs}");
    let ok = newsflow::config::parse(
        "[output]\nkafka_brokers = \"k:9092\"\nkafka_topic = \"t\"\nkafka_properties = { \"compression.type\" = \"zstd\" }\n",
        path,
    );
    if cfg!(feature = "kafka") {
        let k = ok.unwrap().output.kafka.unwrap();
        assert_eq!((k.brokers.as_str(), k.topic.as_str()), ("k:9092", "t"));
        assert_eq!(k.properties, [("compression.type".into(), "zstd".into())]);
    } else {
        assert!(ok.unwrap_err().to_string().contains("--features kafka"));
    }
}

#[cfg(feature = "kafka")]
mod with_kafka {
    use std::collections::HashMap;
    use std::time::Duration;

    use newsflow::config::KafkaConfig;
    use newsflow::sink::Sink;
    use newsflow::sink::kafka::KafkaSink;
    use rdkafka::ClientConfig;
    use rdkafka::consumer::{Consumer, StreamConsumer};
    use rdkafka::message::{Headers, Message};
    use rdkafka::mocking::MockCluster;

    use super::support;

    /// Reads `n` records of `topic` from the start, as (key, payload,
    /// event_id header).
    async fn consume(brokers: &str, topic: &str, n: usize) -> Vec<(String, String, String)> {
        let consumer: StreamConsumer = ClientConfig::new()
            .set("bootstrap.servers", brokers)
            // A group of its own: each call reads from the start, even
            // after an earlier call committed offsets.
            .set("group.id", format!("newsflow-test-{}", support::now_ms()))
            .set("auto.offset.reset", "earliest")
            .create()
            .unwrap();
        consumer.subscribe(&[topic]).unwrap();
        let mut got = Vec::new();
        while got.len() < n {
            let m = tokio::time::timeout(Duration::from_secs(30), consumer.recv())
                .await
                .unwrap_or_else(|_| panic!("only {} of {n} records arrived", got.len()))
                .unwrap();
            let header = m
                .headers()
                .and_then(|h| h.iter().find(|h| h.key == "event_id"))
                .and_then(|h| h.value)
                .map(|v| String::from_utf8_lossy(v).into_owned())
                .unwrap_or_default();
            got.push((
                String::from_utf8_lossy(m.key().unwrap()).into_owned(),
                String::from_utf8_lossy(m.payload().unwrap()).into_owned(),
                header,
            ));
        }
        got
    }

    #[tokio::test]
    async fn events_arrive_keyed_by_article_id() {
        let cluster = MockCluster::new(3).unwrap();
        cluster.create_topic("articles", 4, 3).unwrap();
        let brokers = cluster.bootstrap_servers();
        let mut sink = KafkaSink::new(&KafkaConfig {
            brokers: brokers.clone(),
            topic: "articles".into(),
            properties: vec![],
        })
        .unwrap();
        let lines: Vec<String> = (0..50)
            .map(|i| {
                format!(
                    r#"{{"type":"article","schema":1,"event_id":"ev{i}","id":"art{}","title":"T {i}","body":"a \"quoted\" \"id\":\"x\""}}"#,
                    i % 20
                )
            })
            .collect();
        for l in &lines {
            sink.write(l).await.unwrap();
        }
        assert_eq!(sink.flush().await.unwrap(), None);
        // Kafka cannot say what it holds: even the events just produced
        // count as undelivered, so every outbox event goes again.
        let outbox: Vec<newsflow::store::Undelivered> = lines
            .iter()
            .enumerate()
            .map(|(i, l)| newsflow::store::Undelivered {
                event_id: format!("ev{i}"),
                line: l.clone(),
            })
            .collect();
        assert!(sink.recover(None, &outbox).await.unwrap().is_empty());
        let got = consume(&brokers, "articles", lines.len()).await;
        let by_event: HashMap<&str, &(String, String, String)> =
            got.iter().map(|r| (r.2.as_str(), r)).collect();
        assert_eq!(by_event.len(), lines.len());
        for (i, l) in lines.iter().enumerate() {
            let (key, payload, _) = by_event[format!("ev{i}").as_str()];
            assert_eq!(key, &format!("art{}", i % 20));
            assert_eq!(payload, l);
        }
    }

    #[tokio::test]
    async fn an_unacknowledged_event_fails_the_flush() {
        let cluster = MockCluster::new(1).unwrap();
        cluster.create_topic("articles", 1, 1).unwrap();
        let mut sink = KafkaSink::new(&KafkaConfig {
            brokers: cluster.bootstrap_servers(),
            topic: "articles".into(),
            properties: vec![("message.timeout.ms".into(), "1500".into())],
        })
        .unwrap();
        // The broker answers only after a minute, so the event times out
        // unacknowledged. (Taking the broker down instead makes librdkafka's
        // mock re-bind its port at once, which aborts the whole test binary
        // when a client connection still holds the port.)
        cluster
            .broker_round_trip_time(1, Duration::from_secs(60))
            .unwrap();
        sink.write(r#"{"event_id":"e1","id":"a1"}"#).await.unwrap();
        let err = sink.flush().await.unwrap_err();
        assert!(err.to_string().contains("e1"), "{err:#}");
        assert!(sink.write("not json").await.is_err());
    }

    #[tokio::test]
    async fn the_daemon_emits_into_kafka() {
        let cluster = MockCluster::new(1).unwrap();
        cluster.create_topic("news", 2, 1).unwrap();
        let brokers = cluster.bootstrap_servers();
        let site = support::start_site().await;
        let dir = tempfile::tempdir().unwrap();
        // One feed: of two feeds sharing a story, which one emits it (and
        // so its id) is a race, and the runs are compared below.
        let config = support::write_config(
            dir.path(),
            &[site.url("/world.xml")],
            &format!("[output]\nkafka_brokers = \"{brokers}\"\nkafka_topic = \"news\"\n"),
        );
        let out = support::run_once(&config).await;
        assert!(out.status.success(), "{}", support::stderr(&out));
        assert!(out.stdout.is_empty(), "events go to Kafka only");
        // The same run through stdout, for the expected events.
        let dir2 = tempfile::tempdir().unwrap();
        let config2 = support::write_config(dir2.path(), &[site.url("/world.xml")], "");
        let expected = support::events(&support::run_once(&config2).await);
        assert!(!expected.is_empty());
        let got = consume(&brokers, "news", expected.len()).await;
        let mut got_ids: Vec<(String, String)> = got
            .iter()
            .map(|(key, payload, event_id)| {
                let v: serde_json::Value = serde_json::from_str(payload).unwrap();
                assert_eq!(v["id"].as_str(), Some(key.as_str()));
                assert_eq!(v["event_id"].as_str(), Some(event_id.as_str()));
                (key.clone(), v["url"].as_str().unwrap().to_string())
            })
            .collect();
        let mut want: Vec<(String, String)> = expected
            .iter()
            .map(|v| {
                (
                    v["id"].as_str().unwrap().into(),
                    v["url"].as_str().unwrap().into(),
                )
            })
            .collect();
        got_ids.sort();
        want.sort();
        assert_eq!(got_ids, want);
    }

    /// Event ids of the outbox (events not yet marked delivered), read
    /// beside the running daemon.
    fn outbox(state: &std::path::Path) -> Vec<String> {
        let Ok(c) = rusqlite::Connection::open_with_flags(
            state.join("newsflow.db"),
            rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY,
        ) else {
            return Vec::new();
        };
        let Ok(mut q) = c.prepare("SELECT event_id FROM outbox") else {
            return Vec::new();
        };
        q.query_map([], |r| r.get(0))
            .map(|rows| rows.filter_map(Result::ok).collect())
            .unwrap_or_default()
    }

    #[tokio::test]
    async fn an_event_produced_but_not_marked_delivered_survives_kill_9() {
        let cluster = MockCluster::new(1).unwrap();
        cluster.create_topic("crash", 1, 1).unwrap();
        let brokers = cluster.bootstrap_servers();
        let site = support::start_site().await;
        let item = |guid: &str, i: usize| {
            format!(
                "<item><title>Story {i}</title><link>/gen/page/{i}.html</link><guid>{guid}</guid></item>"
            )
        };
        let feed = |items: String| {
            format!(
                "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>K</title><link>/</link>{items}</channel></rss>"
            )
        };
        site.put("/kafka/feed.xml", feed(item("k-0", 0)));
        let dir = tempfile::tempdir().unwrap();
        let state = dir.path().join("state");
        let config = support::write_config(
            dir.path(),
            &[site.url("/kafka/feed.xml")],
            &format!(
                "poll_interval = \"1s\"\n\n[output]\nkafka_brokers = \"{brokers}\"\nkafka_topic = \"crash\"\n"
            ),
        );
        let log = std::fs::File::create(dir.path().join("first.log")).unwrap();
        let first = support::Spawned::new(
            support::newsflow()
                .args(["run", "--config"])
                .arg(&config)
                .stdout(std::process::Stdio::null())
                .stderr(log),
        );
        // The first item is acknowledged and marked, so the producer holds
        // its connection and metadata before the broker turns slow.
        assert_eq!(consume(&brokers, "crash", 1).await.len(), 1);
        assert!(
            support::wait_until(Duration::from_secs(30), || {
                state.join("newsflow.db").exists() && outbox(&state).is_empty()
            })
            .await,
            "the first event was never marked delivered"
        );

        // Acknowledgements now take a minute: the second event is produced
        // but cannot be marked delivered before the kill.
        cluster
            .broker_round_trip_time(1, Duration::from_secs(60))
            .unwrap();
        site.put("/kafka/feed.xml", feed(item("k-0", 0) + &item("k-1", 1)));
        assert!(
            support::wait_until(Duration::from_secs(30), || outbox(&state).len() == 1).await,
            "the second event never reached the outbox"
        );
        let pending = outbox(&state).remove(0);
        // Time for the produce request to leave; the broker appends on
        // receipt and only its answer is held back.
        tokio::time::sleep(Duration::from_secs(2)).await;
        first.signal("-KILL");
        first.output().await;
        assert_eq!(
            outbox(&state),
            std::slice::from_ref(&pending),
            "still undelivered"
        );

        cluster
            .broker_round_trip_time(1, Duration::from_millis(0))
            .unwrap();
        let out = support::run_once(&config).await;
        let err = support::stderr(&out);
        assert!(out.status.success(), "{err}");
        assert!(
            err.contains("recovered events left undelivered by the last run"),
            "{err}"
        );
        assert!(
            outbox(&state).is_empty(),
            "marked delivered after the restart"
        );
        let got = consume(&brokers, "crash", 2).await;
        let (_, payload, event_id) = &got[1];
        let v: serde_json::Value = serde_json::from_str(payload).unwrap();
        assert_eq!(v["title"], "Story 1", "{payload}");
        assert_eq!(event_id, &pending, "the event keeps its event_id");
        assert_eq!(v["event_id"].as_str(), Some(pending.as_str()));
    }
}
