package org.refusalscope.direction.diffmeans.datatests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.refusalscope.direction.diffmeans.DirectionSelection;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

/**
 * The selection rule applied to Arditi et al.'s published candidate scores reproduces their chosen direction and the
 * number of candidates passing the filters (method.md sections 4.2 and 10.3).
 */
class ArditiSelectionRegressionTest {

	private static Path runs() {
		String data = System.getProperty("refusalscope.test.data");
		assertTrue(data != null && !data.isBlank(), "system property refusalscope.test.data is not set");
		return Path.of(data, "refusal_direction", "runs");
	}

	private static void check(String model, int numLayers, int passing) throws IOException {
		Path dir = runs().resolve(model);
		List<DirectionSelection.Scored> grid = new ArrayList<>();
		for(JsonElement e : JsonParser.parseString(Files.readString(dir.resolve("select_direction/direction_evaluations.json")))
				.getAsJsonArray()) {
			JsonObject o = e.getAsJsonObject();
			grid.add(new DirectionSelection.Scored(o.get("position").getAsInt(), o.get("layer").getAsInt(),
					number(o, "refusal_score"), number(o, "steering_score"), number(o, "kl_div_score")));
		}
		JsonObject metadata = JsonParser.parseString(Files.readString(dir.resolve("direction_metadata.json")))
				.getAsJsonObject();
		DirectionSelection.Choice choice = DirectionSelection.select(grid, numLayers, 0.1, 0.0, 0.2);
		assertTrue(choice.best() >= 0, model);
		DirectionSelection.Scored best = grid.get(choice.best());
		assertEquals(metadata.get("pos").getAsInt(), best.position(), model + " position");
		assertEquals(metadata.get("layer").getAsInt(), best.layer(), model + " layer");
		assertEquals(passing, choice.passing(), model + " candidates passing");
	}

	private static double number(JsonObject o, String name) {
		JsonElement e = o.get(name);
		// Python writes NaN as a bare token, which Gson's lenient parser reads as a number
		return e == null || e.isJsonNull() ? Double.NaN : e.getAsDouble();
	}

	@Test
	void gemma2bIt() throws IOException {
		check("gemma-2b-it", 18, 13);
	}

	@Test
	void llama3() throws IOException {
		check("meta-llama-3-8b-instruct", 32, 25);
	}

	@Test
	void llama2() throws IOException {
		check("llama-2-7b-chat-hf", 32, 5);
	}

	@Test
	void qwen() throws IOException {
		check("qwen-1_8b-chat", 24, 12);
	}

	@Test
	void yi() throws IOException {
		check("yi-6b-chat", 32, 7);
	}
}
