package org.refusalscope.headless.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.refusalscope.api.StrategyRole;
import org.refusalscope.headless.tests.CliTest.Outcome;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

/**
 * The bench command's argument checks and the shape of its JSON report, on the tiny smoke shape with workers in
 * this JVM. Timings are never asserted: only that the figures exist, are positive and are ordered (min <= median
 * <= max).
 */
class BenchCommandTest {

	@Test
	void unknownSuiteIsUsageError() {
		Outcome outcome = CliTest.run("bench", "--suite", "huge", "--json");
		assertEquals(2, outcome.code(), outcome.err());
		assertTrue(outcome.err().contains("--suite must be quick or full"), outcome.err());
		assertEquals("", outcome.out());
	}

	@Test
	void outputFolderInsteadOfFileIsUsageError(@TempDir Path dir) {
		Outcome outcome = CliTest.run("bench", "--out", dir.toString());
		assertEquals(2, outcome.code(), outcome.err());
		assertTrue(outcome.err().contains("is a folder"), outcome.err());
	}

	@Test
	void unknownOptionIsUsageError() {
		Outcome outcome = CliTest.run("bench", "--batch", "64");
		assertEquals(2, outcome.code(), outcome.err());
	}

	@Test
	void workerReportsItsErrorAsOneJsonObject() {
		Outcome outcome = CliTest.run("bench-worker", "--task", "teleport");
		assertEquals(0, outcome.code(), outcome.err());
		JsonObject result = JsonParser.parseString(outcome.out()).getAsJsonObject();
		assertTrue(result.get("error").getAsString().contains("unknown task 'teleport'"), outcome.out());
	}

	@Test
	void smokeSuiteWritesOneJsonObjectWithEverySection(@TempDir Path dir) throws Exception {
		Path out = dir.resolve("bench.json");
		Outcome outcome = CliTest.run("bench", "--suite", "smoke", "--in-process", "--json", "--cache",
				dir.resolve("cache").toString(), "--out", out.toString());
		assertEquals(0, outcome.code(), outcome.err());
		JsonObject report = JsonParser.parseString(outcome.out()).getAsJsonObject();
		assertEquals(report, JsonParser.parseString(Files.readString(out)));
		for(String key : new String[]{"suite", "date", "machine", "gemm_gflops", "gemm", "forward", "load", "generation",
				"baseline_ratio", "baseline_error", "ablation", "ablation_speedup", "prefix_cache_speedup", "sae",
				"sae_training", "errors"}) {
			assertTrue(report.has(key), "missing " + key + " in " + report);
		}
		assertEquals("smoke", report.get("suite").getAsString());
		// the engine micro-benchmarks run through the embedded DJL bundle
		assertTrue(report.get("gemm_gflops").getAsDouble() > 0, report.toString());
		Set<String> dtypes = new HashSet<>();
		for(JsonElement row : report.getAsJsonArray("gemm")) {
			dtypes.add(row.getAsJsonObject().get("dtype").getAsString());
			assertOrdered(row.getAsJsonObject(), "gflops");
		}
		assertEquals(Set.of("float32", "float16"), dtypes);
		assertEquals(1, report.getAsJsonArray("sae").size());
		assertOrdered(report.getAsJsonArray("sae").get(0).getAsJsonObject(), "activations_per_s");
		// the random tiny checkpoint was generated into the cache folder
		assertTrue(Files.isRegularFile(dir.resolve("cache/tiny/config.json")));
		assertTrue(report.get("baseline_ratio").isJsonNull() != report.get("baseline_error").isJsonNull(),
				"exactly one of baseline_ratio and baseline_error: " + report);
		if(CliTest.registry().find(StrategyRole.MODEL_BACKEND, "djl").isPresent()) {
			// batches 1 and 2 at sequence length 8
			assertEquals(2, report.getAsJsonArray("forward").size(), report.toString());
			for(JsonElement element : report.getAsJsonArray("forward")) {
				JsonObject row = element.getAsJsonObject();
				assertEquals("tiny", row.get("shape").getAsString());
				assertEquals(8, row.get("seq").getAsInt());
				assertOrdered(row, "tokens_per_s");
				assertTrue(row.get("gflops").getAsDouble() > 0);
				assertTrue(row.get("peak_rss_mb").getAsDouble() > 0);
			}
			assertFalse(report.get("ablation_speedup").isJsonNull(), report.toString());
		} else {
			// without a model backend in this build the forward section says so instead of inventing rows
			assertEquals(0, report.getAsJsonArray("forward").size());
			assertTrue(report.getAsJsonArray("errors").toString().contains("model tiny"), report.toString());
			assertTrue(report.get("baseline_ratio").isJsonNull());
		}
	}

	private static void assertOrdered(JsonObject row, String field) {
		double median = row.get(field).getAsDouble();
		assertTrue(median > 0, row.toString());
		assertTrue(row.get(field + "_min").getAsDouble() <= median, row.toString());
		assertTrue(median <= row.get(field + "_max").getAsDouble(), row.toString());
	}
}
