package org.refusalscope.ui.parts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

import org.eclipse.swt.widgets.Table;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.refusalscope.ui.testing.PartHarness;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

/**
 * The "Activation" column of the minimal-set table. testData/activation-run is a hand-written one-prompt results.json
 * with stored activations (values picked to exercise the formatting, not measured); testData/default-run was written
 * by a real run before activations were recorded and stands for such older files. Expected values are read with a
 * plain JSON parser, independently of the records the workbench uses.
 */
class MinimalSetActivationTest {

	private static final int LAYER = 0, FEATURE = 1, ACTIVATION = 3;
	@TempDir
	Path dir;
	private PartHarness harness;
	private PromptDetailPart detail;

	@AfterEach
	void close() {
		if(harness != null) {
			harness.close();
		}
	}

	/** Opens a copy of a testData run folder with the detail part; returns its prompts as parsed JSON. */
	private JsonArray open(String run) throws IOException {
		Path folder = Files.createDirectories(dir.resolve(run));
		for(String name : new String[]{"results.json", "config.json"}) {
			try(InputStream in = getClass().getClassLoader().getResourceAsStream("testData/" + run + "/" + name)) {
				if(in != null) {
					Files.copy(in, folder.resolve(name));
				}
			}
		}
		harness = new PartHarness();
		detail = harness.make(PromptDetailPart.class);
		harness.run().open(folder);
		harness.show();
		return JsonParser.parseString(Files.readString(folder.resolve("results.json"))).getAsJsonObject()
				.getAsJsonArray("prompts");
	}

	@Test
	void storedActivationsAreShownWithThreeSignificantDigits() throws IOException {
		JsonArray prompts = open("activation-run");
		harness.run().select(0);
		harness.flush();
		Table table = detail.minimalSetTable();
		JsonArray set = prompts.get(0).getAsJsonObject().getAsJsonArray("minimal_set");
		assertEquals(set.size(), table.getItemCount());
		for(int i = 0; i < set.size(); i++) {
			JsonObject feature = set.get(i).getAsJsonObject();
			assertEquals(feature.get("layer").getAsString(), table.getItem(i).getText(LAYER));
			assertEquals(feature.get("feature").getAsString(), table.getItem(i).getText(FEATURE));
			double stored = feature.get("activation").getAsDouble();
			String shown = table.getItem(i).getText(ACTIVATION);
			assertEquals(stored, Double.parseDouble(shown), Math.abs(stored) * 5e-3, "row " + i + " shows " + shown);
			assertEquals(String.format(Locale.ROOT, "%.3g", stored), shown, "row " + i);
		}
		// the file's three values spelled out: 0.0123456, 245.678, 3.14159
		assertEquals("0.0123", table.getItem(0).getText(ACTIVATION));
		assertEquals("246", table.getItem(1).getText(ACTIVATION));
		assertEquals("3.14", table.getItem(2).getText(ACTIVATION));
	}

	@Test
	void filesWithoutActivationsShowNa() throws IOException {
		JsonArray prompts = open("default-run");
		int flipped = -1;
		for(int i = 0; i < prompts.size(); i++) {
			if(!prompts.get(i).getAsJsonObject().getAsJsonArray("minimal_set").isEmpty()) {
				flipped = i;
			}
		}
		assertTrue(flipped >= 0, "the recorded run flipped one prompt");
		JsonArray set = prompts.get(flipped).getAsJsonObject().getAsJsonArray("minimal_set");
		set.forEach(f -> assertFalse(f.getAsJsonObject().has("activation"), "default-run predates activations: " + f));
		harness.run().select(flipped);
		harness.flush();
		Table table = detail.minimalSetTable();
		assertEquals(set.size(), table.getItemCount());
		for(int i = 0; i < set.size(); i++) {
			assertEquals(PromptDetailPart.NO_ACTIVATION, table.getItem(i).getText(ACTIVATION));
			assertEquals("n/a", table.getItem(i).getText(ACTIVATION));
		}
	}
}
