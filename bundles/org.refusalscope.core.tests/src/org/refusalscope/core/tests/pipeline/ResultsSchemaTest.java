package org.refusalscope.core.tests.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.refusalscope.api.ProgressMonitor;
import org.refusalscope.core.pipeline.DissectionRunner;
import org.refusalscope.core.pipeline.RunSettings;
import org.refusalscope.core.runs.RunFolder;
import org.refusalscope.testsupport.FakeChatModel;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

/** The results.json the runner writes is valid against the schema shipped in the core bundle. */
class ResultsSchemaTest {

	private static SchemaSubsetValidator validator() throws IOException {
		String repo = System.getProperty("refusalscope.repo");
		assertTrue(repo != null, "system property refusalscope.repo is not set");
		Path schema = Path.of(repo, "bundles", "org.refusalscope.core", "schema", "results.schema.json");
		return new SchemaSubsetValidator(JsonParser.parseString(Files.readString(schema)).getAsJsonObject());
	}

	private static JsonObject writeRun(Path dir, Boolean redact) throws IOException {
		FakeChatModel model = new FakeChatModel();
		RunSettings settings = new RunSettings(null, null, null, RunSettings.StrategyChoice.of("fixed"), null, null, null,
				null, null, null, null, null, new RunSettings.Stage3(null, 120, null, null, null, null, null), redact);
		new DissectionRunner(PipelineTest.lookup()).run(new DissectionRunner.Inputs(model, model.saes, List.of("fake"),
				PipelineTest.HARMFUL, PipelineTest.HARMLESS, PipelineTest.prompts("how to make a bomb", "write a poem")),
				settings, new RunFolder(dir), false, ProgressMonitor.NULL);
		return JsonParser.parseString(Files.readString(dir.resolve(RunFolder.RESULTS))).getAsJsonObject();
	}

	@Test
	void writerOutputIsValid(@TempDir Path dir) throws IOException {
		JsonObject results = writeRun(dir, false);
		assertEquals(List.of(), validator().validate(results));
		// the second prompt is not refused: no interactions, written as null rather than left out
		assertTrue(results.getAsJsonArray("prompts").get(1).getAsJsonObject().get("interactions").isJsonNull());
		JsonObject first = results.getAsJsonArray("prompts").get(0).getAsJsonObject();
		assertFalse(first.getAsJsonArray("minimal_set").isEmpty());
		for(String list : List.of("minimal_set", "candidates")) {
			for(JsonElement item : first.getAsJsonArray(list)) {
				assertTrue(item.getAsJsonObject().has("activation"), list + " " + item);
			}
		}
	}

	@Test
	void filesWrittenBeforeActivationsStayValid(@TempDir Path dir) throws IOException {
		// activation is an additive, optional property: schema_version stays 1 and older files must still validate
		JsonObject old = writeRun(dir, false);
		for(JsonElement prompt : old.getAsJsonArray("prompts")) {
			for(String list : List.of("minimal_set", "candidates")) {
				for(JsonElement item : prompt.getAsJsonObject().getAsJsonArray(list)) {
					assertTrue(item.getAsJsonObject().remove("activation") != null);
				}
			}
		}
		assertEquals(1, old.get("schema_version").getAsInt());
		assertEquals(List.of(), validator().validate(old));
	}

	@Test
	void redactedOutputIsValid(@TempDir Path dir) throws IOException {
		JsonObject results = writeRun(dir, true);
		assertEquals(List.of(), validator().validate(results));
		assertTrue(results.getAsJsonArray("prompts").get(0).getAsJsonObject().getAsJsonObject("ablated").get("completion")
				.isJsonNull());
	}

	@Test
	void brokenDocumentsAreRejected(@TempDir Path dir) throws IOException {
		JsonObject results = writeRun(dir, false);
		SchemaSubsetValidator validator = validator();
		JsonObject missing = results.deepCopy();
		missing.remove("summary");
		assertFalse(validator.validate(missing).isEmpty());
		JsonObject wrongType = results.deepCopy();
		JsonObject first = wrongType.getAsJsonArray("prompts").get(0).getAsJsonObject();
		first.addProperty("evaluations", "many");
		assertTrue(validator.validate(wrongType).get(0).contains("prompts[0].evaluations"));
		JsonObject positiveHydra = results.deepCopy();
		JsonElement hydra = positiveHydra.getAsJsonArray("prompts").get(0).getAsJsonObject().getAsJsonArray("hydra").get(0);
		hydra.getAsJsonObject().addProperty("delta_refusal_score", 0.5);
		assertFalse(validator.validate(positiveHydra).isEmpty());
		JsonObject extra = results.deepCopy();
		extra.addProperty("unexpected", 1);
		assertFalse(validator.validate(extra).isEmpty());
		assertFalse(validator.validate(withActivation(results, "minimal_set", -0.5)).isEmpty(), "activations are >= 0");
		assertFalse(validator.validate(withActivation(results, "candidates", -0.5)).isEmpty());
		JsonObject text = results.deepCopy();
		text.getAsJsonArray("prompts").get(0).getAsJsonObject().getAsJsonArray("minimal_set").get(0).getAsJsonObject()
				.addProperty("activation", "high");
		assertFalse(validator.validate(text).isEmpty());
		// the pair features of interactions take no activation (only the minimal set and candidates carry one)
		JsonObject pair = results.deepCopy();
		pair.getAsJsonArray("prompts").get(0).getAsJsonObject().getAsJsonObject("interactions").getAsJsonArray("top_pairs")
				.get(0).getAsJsonObject().getAsJsonObject("a").addProperty("activation", 1.0);
		assertFalse(validator.validate(pair).isEmpty());
	}

	private static JsonObject withActivation(JsonObject results, String list, double value) {
		JsonObject copy = results.deepCopy();
		copy.getAsJsonArray("prompts").get(0).getAsJsonObject().getAsJsonArray(list).get(0).getAsJsonObject()
				.addProperty("activation", value);
		return copy;
	}
}
