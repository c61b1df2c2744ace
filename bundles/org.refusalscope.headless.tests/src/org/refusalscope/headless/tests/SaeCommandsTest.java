package org.refusalscope.headless.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.refusalscope.api.sae.SaeLoadOptions;
import org.refusalscope.api.sae.SaeMath;
import org.refusalscope.api.sae.SparseAutoencoder;
import org.refusalscope.sae.saelens.SaeLensProvider;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

/** train-sae, sae-eval and inspect --sae end to end on the tiny Llama of {@link ModelCommandsTest}. */
class SaeCommandsTest {

	private static Path prompts(Path dir) throws Exception {
		String[] words = {"hello", "world", "how", "are", "you", "today"};
		StringBuilder text = new StringBuilder();
		for(int i = 0; i < 24; i++) {
			for(int w = 0; w < 2 + i % 4; w++) {
				text.append(words[(i * 7 + w * 3) % words.length]).append(' ');
			}
			text.append('\n');
		}
		return Files.writeString(dir.resolve("prompts.txt"), text.toString());
	}

	@Test
	void trainEvaluateAndInspect(@TempDir Path dir) throws Exception {
		Path model = ModelCommandsTest.tinyModel(dir);
		Path prompts = prompts(dir);
		Path out = dir.resolve("saes");
		CliTest.Outcome train = CliTest.run("train-sae", "--model", model.toString(), "--layer", "all", "--prompts",
				prompts.toString(), "--width", "16", "--arch", "topk", "--k", "2", "--epochs", "3", "--batch-size", "32",
				"--lr", "0.01", "--out", out.toString(), "--json");
		assertEquals(0, train.code(), train.err());
		JsonArray trained = JsonParser.parseString(train.out()).getAsJsonObject().getAsJsonArray("layers");
		assertEquals(ModelCommandsTest.LAYERS, trained.size());
		for(int l = 0; l < ModelCommandsTest.LAYERS; l++) {
			assertTrue(Files.isRegularFile(out.resolve("layer_" + l + "/cfg.json")));
			assertTrue(trained.get(l).getAsJsonObject().get("l0").getAsDouble() <= 2.0 + 1e-9);
		}

		CliTest.Outcome eval = CliTest.run("sae-eval", "--model", model.toString(), "--sae", out.toString(), "--prompts",
				prompts.toString(), "--json");
		assertEquals(0, eval.code(), eval.err());
		JsonArray layers = JsonParser.parseString(eval.out()).getAsJsonObject().getAsJsonArray("layers");
		assertEquals(ModelCommandsTest.LAYERS, layers.size());
		double ceClean = layers.get(0).getAsJsonObject().get("ce_loss_clean").getAsDouble();
		for(int l = 0; l < layers.size(); l++) {
			JsonObject layer = layers.get(l).getAsJsonObject();
			for(String field : List.of("layer", "l0", "fve", "dead_fraction", "ce_loss_clean", "ce_loss_spliced", "kl")) {
				assertTrue(layer.has(field), field);
			}
			assertEquals(l, layer.get("layer").getAsInt());
			assertTrue(layer.get("l0").getAsDouble() <= 2.0 + 1e-9);
			assertTrue(layer.get("kl").getAsDouble() >= -1e-6);
			assertEquals(ceClean, layer.get("ce_loss_clean").getAsDouble(), 1e-6, "the clean forward does not depend on the SAE");
		}

		CliTest.Outcome inspect = CliTest.run("inspect", "--model", model.toString(), "--text", "hello world", "--layers", "1",
				"--sae", out.toString(), "--sae-layer", "1", "--json");
		assertEquals(0, inspect.code(), inspect.err());
		JsonObject json = JsonParser.parseString(inspect.out()).getAsJsonObject();
		JsonObject sae = json.getAsJsonObject("sae");
		assertEquals(1, sae.get("layer").getAsInt());
		assertEquals(16, sae.get("width").getAsInt());
		// independent: encode the printed resid_post of layer 1 with the API's reference math
		JsonArray residJson = json.getAsJsonObject("resid_post").getAsJsonArray("1");
		float[] x = new float[residJson.size()];
		for(int i = 0; i < x.length; i++) {
			x[i] = residJson.get(i).getAsFloat();
		}
		SparseAutoencoder reference = new SaeLensProvider().load(out.resolve("layer_1"), SaeLoadOptions.defaults()).get(0);
		float[] f = reference.encode(x);
		float[] xHat = SaeMath.decode(reference.weights(), f);
		int active = 0;
		double error = 0;
		for(int j = 0; j < f.length; j++) {
			active += f[j] > 0 ? 1 : 0;
		}
		for(int i = 0; i < x.length; i++) {
			error += (x[i] - xHat[i]) * (x[i] - xHat[i]);
		}
		assertEquals(active, sae.get("l0").getAsInt());
		JsonArray list = sae.getAsJsonArray("active");
		assertEquals(active, list.size());
		for(int i = 0; i < list.size(); i++) {
			JsonObject item = list.get(i).getAsJsonObject();
			assertEquals(f[item.get("feature").getAsInt()], item.get("activation").getAsFloat(), 1e-4f);
			if(i > 0) {
				assertTrue(list.get(i - 1).getAsJsonObject().get("activation").getAsFloat() >= item.get("activation").getAsFloat());
			}
		}
		assertEquals(Math.sqrt(error), sae.get("reconstruction_error_norm").getAsDouble(), 1e-3);

		CliTest.Outcome several = CliTest.run("inspect", "--model", model.toString(), "--text", "hello", "--sae", out.toString());
		assertEquals(2, several.code(), several.err());

		CliTest.Outcome resumed = CliTest.run("train-sae", "--model", model.toString(), "--layer", "1", "--prompts",
				prompts.toString(), "--width", "16", "--arch", "topk", "--k", "2", "--epochs", "4", "--batch-size", "32",
				"--lr", "0.01", "--out", out.resolve("layer_1").toString(), "--resume", "--json");
		assertEquals(0, resumed.code(), resumed.err());
		JsonObject resumedLayer = JsonParser.parseString(resumed.out()).getAsJsonObject().getAsJsonArray("layers").get(0).getAsJsonObject();
		assertTrue(resumedLayer.get("resumed_from_step").getAsLong() > 0, resumed.out());
		assertEquals(resumedLayer.get("resumed_from_step").getAsLong() * 4 / 3, resumedLayer.get("steps").getAsLong());
	}

	@Test
	void usageErrors(@TempDir Path dir) throws Exception {
		Path model = ModelCommandsTest.tinyModel(dir);
		Path prompts = prompts(dir);
		assertEquals(2, CliTest.run("train-sae", "--model", model.toString(), "--layer", "0", "--prompts", prompts.toString(),
				"--width", "8", "--arch", "gated", "--out", dir.resolve("o").toString()).code());
		assertEquals(2, CliTest.run("train-sae", "--model", model.toString(), "--layer", "9", "--prompts", prompts.toString(),
				"--width", "8", "--arch", "topk", "--out", dir.resolve("o").toString()).code());
		CliTest.Outcome noSae = CliTest.run("sae-eval", "--model", model.toString(), "--sae", dir.resolve("none").toString(),
				"--prompts", prompts.toString());
		assertEquals(1, noSae.code());
		assertTrue(noSae.err().contains("none"), noSae.err());
	}
}
