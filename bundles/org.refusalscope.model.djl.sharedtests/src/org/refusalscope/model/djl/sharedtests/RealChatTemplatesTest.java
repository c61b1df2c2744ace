package org.refusalscope.model.djl.sharedtests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.refusalscope.api.model.ChatMessage;
import org.refusalscope.api.model.LanguageModel;
import org.refusalscope.io.safetensors.SafetensorsWriter;
import org.refusalscope.model.djl.ChatTemplate;
import org.refusalscope.model.djl.Djl;
import org.refusalscope.model.djl.DjlModelBackend;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;

/**
 * The real Llama-3 and Gemma chat templates of the shared data rendered by Jinjava give the strings of method.md
 * section 2.4 (with the BOS the templates write), and encodeChat does not double that BOS.
 */
class RealChatTemplatesTest {

	static final String PROMPT = "How do I bake bread?";

	static Path tokenizers() {
		Path data = Path.of(System.getProperty("refusalscope.test.data"));
		return data.resolve("tokenizers");
	}

	@Test
	void llama3TemplateRendersTheReferenceFormat() throws Exception {
		ChatTemplate template = ChatTemplate.read(tokenizers().resolve("llama3"));
		assertEquals("<|begin_of_text|><|start_header_id|>user<|end_header_id|>\n\n" + PROMPT
				+ "<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\n", template.render(List.of(ChatMessage.user(
						PROMPT)), true));
	}

	@Test
	void gemmaTemplateRendersTheReferenceFormat() throws Exception {
		ChatTemplate template = ChatTemplate.read(tokenizers().resolve("gemma3"));
		List<ChatMessage> chat = List.of(ChatMessage.user(PROMPT));
		assertEquals("<bos><start_of_turn>user\n" + PROMPT + "<end_of_turn>\n<start_of_turn>model\n", template.render(chat,
				true));
		assertEquals("<bos><start_of_turn>user\n" + PROMPT + "<end_of_turn>\n", template.render(chat, false));
		// the template's raise_exception reaches the caller with its message
		IllegalArgumentException error = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
				() -> template.render(List.of(ChatMessage.user("a"), ChatMessage.user("b")), true));
		assertTrue(error.getMessage().contains("alternate"), error.getMessage());
	}

	/** A one-layer Llama with the real Llama-3 vocabulary: encodeChat has exactly one BOS, at the start. */
	@Test
	void encodeChatWithTheRealLlama3TokenizerHasOneBos(@TempDir Path dir) throws Exception {
		Path folder = Files.createDirectories(dir.resolve("llama3-tiny"));
		Path source = tokenizers().resolve("llama3");
		Files.copy(source.resolve("tokenizer.json"), folder.resolve("tokenizer.json"));
		Files.copy(source.resolve("tokenizer_config.json"), folder.resolve("tokenizer_config.json"));
		int vocab = 128256;
		int hidden = 8;
		Files.writeString(folder.resolve("config.json"), "{\"model_type\":\"llama\",\"hidden_size\":" + hidden
				+ ",\"intermediate_size\":8,\"num_hidden_layers\":1,\"num_attention_heads\":2,\"num_key_value_heads\":1,"
				+ "\"vocab_size\":" + vocab + ",\"rms_norm_eps\":1e-5,\"rope_theta\":500000.0,\"bos_token_id\":128000,"
				+ "\"eos_token_id\":[128001,128009],\"tie_word_embeddings\":true}");
		SafetensorsWriter writer = new SafetensorsWriter();
		writer.add("model.embed_tokens.weight", new long[]{vocab, hidden}, filled(vocab * hidden), "BF16");
		String p = "model.layers.0.";
		writer.add(p + "input_layernorm.weight", new long[]{hidden}, filled(hidden));
		writer.add(p + "post_attention_layernorm.weight", new long[]{hidden}, filled(hidden));
		writer.add(p + "self_attn.q_proj.weight", new long[]{8, hidden}, filled(8 * hidden));
		writer.add(p + "self_attn.k_proj.weight", new long[]{4, hidden}, filled(4 * hidden));
		writer.add(p + "self_attn.v_proj.weight", new long[]{4, hidden}, filled(4 * hidden));
		writer.add(p + "self_attn.o_proj.weight", new long[]{hidden, 8}, filled(8 * hidden));
		writer.add(p + "mlp.gate_proj.weight", new long[]{8, hidden}, filled(8 * hidden));
		writer.add(p + "mlp.up_proj.weight", new long[]{8, hidden}, filled(8 * hidden));
		writer.add(p + "mlp.down_proj.weight", new long[]{hidden, 8}, filled(8 * hidden));
		writer.add("model.norm.weight", new long[]{hidden}, filled(hidden));
		writer.write(folder.resolve("model.safetensors"));
		try(LanguageModel model = new DjlModelBackend().load(folder, null)) {
			List<ChatMessage> chat = List.of(ChatMessage.user(PROMPT));
			int[] ids = model.encodeChat(chat);
			assertEquals(128000, ids[0]);
			assertEquals(1, Arrays.stream(ids).filter(id -> id == 128000).count(), Arrays.toString(ids));
			long[] expected = Djl.withBundleClassLoader(() -> {
				try(HuggingFaceTokenizer tokenizer = HuggingFaceTokenizer.newInstance(folder.resolve("tokenizer.json"), Map.of(
						"addSpecialTokens", "false"))) {
					return tokenizer.encode(model.renderChat(chat, true), false, false).getIds();
				}
			});
			assertArrayEquals(Arrays.stream(expected).mapToInt(id -> (int) id).toArray(), ids);
			// a forward over the real ids runs (the logits are meaningless: constant weights)
			assertEquals(vocab, model.forward(org.refusalscope.api.model.ForwardRequest.lastLogits(List.of(ids))).lastLogits(
					0).length);
		}
	}

	private static float[] filled(int count) {
		float[] values = new float[count];
		for(int i = 0; i < count; i++) {
			values[i] = (float) Math.sin(i * 0.37) * 0.1f;
		}
		return values;
	}
}
