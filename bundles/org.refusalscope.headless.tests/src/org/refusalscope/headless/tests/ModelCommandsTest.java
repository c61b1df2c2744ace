package org.refusalscope.headless.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.refusalscope.io.safetensors.SafetensorsWriter;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

/** inspect and generate end to end: OSGi registry, DJL backend, a tiny Llama folder written here. */
class ModelCommandsTest {

	static final int HIDDEN = 8;
	static final int VOCAB = 12;
	static final int LAYERS = 2;

	/** Word-level tokenizer: <pad>=0 <bos>=1 <eos>=2, then the words; the template writes <bos>. */
	static Path tinyModel(Path dir) throws Exception {
		Path folder = Files.createDirectories(dir.resolve("tiny"));
		Files.writeString(folder.resolve("config.json"), "{\"model_type\":\"llama\",\"hidden_size\":" + HIDDEN
				+ ",\"intermediate_size\":8,\"num_hidden_layers\":" + LAYERS + ",\"num_attention_heads\":2,"
				+ "\"num_key_value_heads\":1,\"vocab_size\":" + VOCAB + ",\"rms_norm_eps\":1e-5,\"bos_token_id\":1,"
				+ "\"eos_token_id\":2,\"tie_word_embeddings\":true}");
		Files.writeString(folder.resolve("tokenizer.json"), "{\"version\":\"1.0\",\"truncation\":null,\"padding\":null,"
				+ "\"added_tokens\":[" + special(0, "<pad>") + "," + special(1, "<bos>") + "," + special(2, "<eos>") + "],"
				+ "\"normalizer\":null,\"pre_tokenizer\":{\"type\":\"Whitespace\"},\"post_processor\":{\"type\":"
				+ "\"TemplateProcessing\",\"single\":[{\"SpecialToken\":{\"id\":\"<bos>\",\"type_id\":0}},{\"Sequence\":{\"id\":"
				+ "\"A\",\"type_id\":0}}],\"pair\":[{\"Sequence\":{\"id\":\"A\",\"type_id\":0}}],\"special_tokens\":{\"<bos>\":"
				+ "{\"id\":\"<bos>\",\"ids\":[1],\"tokens\":[\"<bos>\"]}}},\"decoder\":{\"type\":\"WordPiece\",\"prefix\":\"##\","
				+ "\"cleanup\":false},\"model\":{\"type\":\"WordLevel\",\"vocab\":{\"<pad>\":0,\"<bos>\":1,\"<eos>\":2,\"<unk>\":3,"
				+ "\"user\":4,\"model\":5,\"hello\":6,\"world\":7,\"how\":8,\"are\":9,\"you\":10,\"today\":11},\"unk_token\":"
				+ "\"<unk>\"}}");
		Files.writeString(folder.resolve("tokenizer_config.json"), "{\"bos_token\":\"<bos>\",\"eos_token\":\"<eos>\","
				+ "\"chat_template\":\"{{ bos_token }}{% for m in messages %}{{ m['role'] }} {{ m['content'] }} {% endfor %}"
				+ "{% if add_generation_prompt %}model {% endif %}\"}");
		SafetensorsWriter writer = new SafetensorsWriter();
		writer.add("model.embed_tokens.weight", new long[]{VOCAB, HIDDEN}, values(VOCAB * HIDDEN, 1), "BF16");
		writer.add("model.norm.weight", new long[]{HIDDEN}, ones());
		for(int l = 0; l < LAYERS; l++) {
			String p = "model.layers." + l + ".";
			writer.add(p + "input_layernorm.weight", new long[]{HIDDEN}, ones());
			writer.add(p + "post_attention_layernorm.weight", new long[]{HIDDEN}, ones());
			writer.add(p + "self_attn.q_proj.weight", new long[]{8, HIDDEN}, values(64, 2 + l));
			writer.add(p + "self_attn.k_proj.weight", new long[]{4, HIDDEN}, values(32, 3 + l));
			writer.add(p + "self_attn.v_proj.weight", new long[]{4, HIDDEN}, values(32, 4 + l));
			writer.add(p + "self_attn.o_proj.weight", new long[]{HIDDEN, 8}, values(64, 5 + l));
			writer.add(p + "mlp.gate_proj.weight", new long[]{8, HIDDEN}, values(64, 6 + l));
			writer.add(p + "mlp.up_proj.weight", new long[]{8, HIDDEN}, values(64, 7 + l));
			writer.add(p + "mlp.down_proj.weight", new long[]{HIDDEN, 8}, values(64, 8 + l));
		}
		writer.write(folder.resolve("model.safetensors"));
		return folder;
	}

	private static String special(int id, String content) {
		return "{\"id\":" + id + ",\"content\":\"" + content + "\",\"single_word\":false,\"lstrip\":false,\"rstrip\":false,"
				+ "\"normalized\":false,\"special\":true}";
	}

	private static float[] values(int count, int seed) {
		float[] out = new float[count];
		for(int i = 0; i < count; i++) {
			out[i] = (float) Math.sin(seed * 1.7 + i * 0.91);
		}
		return out;
	}

	private static float[] ones() {
		float[] out = new float[HIDDEN];
		java.util.Arrays.fill(out, 1f);
		return out;
	}

	@Test
	void inspectPrintsIdsTopLogitsAndResiduals(@TempDir Path dir) throws Exception {
		Path model = tinyModel(dir);
		CliTest.Outcome outcome = CliTest.run("inspect", "--model", model.toString(), "--text", "hello world", "--layers",
				"all", "--top", "5", "--json");
		assertEquals(0, outcome.code(), outcome.err());
		JsonObject json = JsonParser.parseString(outcome.out()).getAsJsonObject();
		assertEquals("[1,6,7]", json.get("input_ids").toString());
		JsonArray top = json.getAsJsonArray("top");
		assertEquals(5, top.size());
		for(int i = 1; i < top.size(); i++) {
			assertTrue(top.get(i - 1).getAsJsonObject().get("logit").getAsFloat() >= top.get(i).getAsJsonObject().get("logit")
					.getAsFloat());
		}
		JsonObject first = top.get(0).getAsJsonObject();
		assertTrue(first.has("id") && first.has("token"));
		JsonObject resid = json.getAsJsonObject("resid_post");
		assertEquals(LAYERS, resid.size());
		assertEquals(HIDDEN, resid.getAsJsonArray("1").size());
		CliTest.Outcome chat = CliTest.run("inspect", "--model", model.toString(), "--text", "hello", "--chat", "--json");
		assertEquals(0, chat.code(), chat.err());
		JsonObject chatJson = JsonParser.parseString(chat.out()).getAsJsonObject();
		// <bos> user hello model: one BOS, written by the template
		assertEquals("[1,4,6,5]", chatJson.get("input_ids").toString());
		assertEquals(20 > VOCAB ? VOCAB : 20, chatJson.getAsJsonArray("top").size());
		assertEquals(0, chatJson.getAsJsonObject("resid_post").size());
	}

	@Test
	void generatePrintsCompletionJson(@TempDir Path dir) throws Exception {
		Path model = tinyModel(dir);
		CliTest.Outcome outcome = CliTest.run("generate", "--model", model.toString(), "--chat", "how are you",
				"--max-new-tokens", "6", "--json");
		assertEquals(0, outcome.code(), outcome.err());
		JsonObject json = JsonParser.parseString(outcome.out()).getAsJsonObject();
		assertEquals("[1,4,8,9,10,5]", json.get("input_ids").toString());
		int generated = json.get("tokens_generated").getAsInt();
		String stoppedBy = json.get("stopped_by").getAsString();
		assertTrue(generated == 6 && stoppedBy.equals("max_tokens") || generated < 6 && stoppedBy.equals("eos"),
				outcome.out());
		assertTrue(json.has("completion"));
	}

	@Test
	void badArgumentsGiveUsageOrErrorCodes(@TempDir Path dir) throws Exception {
		Path model = tinyModel(dir);
		assertEquals(2, CliTest.run("inspect", "--model", model.toString(), "--text", "hello", "--layers", "7").code());
		assertEquals(2, CliTest.run("generate", "--model", model.toString(), "--chat", "a", "--text", "b").code());
		CliTest.Outcome missing = CliTest.run("inspect", "--model", dir.resolve("absent").toString(), "--text", "x");
		assertEquals(1, missing.code());
		assertTrue(missing.err().contains("absent"), missing.err());
	}
}
