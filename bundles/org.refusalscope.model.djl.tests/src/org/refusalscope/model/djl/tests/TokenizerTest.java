package org.refusalscope.model.djl.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.refusalscope.api.model.ChatMessage;
import org.refusalscope.api.model.LanguageModel;
import org.refusalscope.model.djl.ChatTemplate;
import org.refusalscope.model.djl.DjlModelBackend;
import org.refusalscope.testsupport.TinyCheckpoint;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

/** Tokenizer, chat template and load errors on a tiny checkpoint. */
class TokenizerTest {

	@Test
	void tokenizesAndRendersChatWithOneBos(@TempDir Path dir) throws Exception {
		try(LanguageModel model = ForwardTest.load(TinyCheckpoint.llama(1).write(dir.resolve("m"), "F32", 1))) {
			assertArrayEquals(new int[]{1, 6, 7}, model.tokenize("hello world", true));
			assertArrayEquals(new int[]{6, 7}, model.tokenize("hello world", false));
			assertEquals("hello", model.tokenText(6));
			assertEquals(6, model.tokenId("hello"));
			assertEquals(-1, model.tokenId("hello world"));
			List<ChatMessage> chat = List.of(ChatMessage.user("  hello world "));
			assertEquals("<bos><start_of_turn>user hello world<end_of_turn> <start_of_turn>model ", model.renderChat(chat,
					true));
			assertEquals("<bos><start_of_turn>user hello world<end_of_turn> ", model.renderChat(chat, false));
			// the template writes <bos>; the tokenizer must not add a second one
			assertArrayEquals(new int[]{1, 4, 21, 6, 7, 5, 4, 22}, model.encodeChat(chat));
			assertEquals(TinyCheckpoint.TEMPLATE, model.chatTemplate());
		}
	}

	/** Stop ids come from config.json and generation_config.json (where instruction-tuned models put end-of-turn). */
	@Test
	void eosIdsIncludeGenerationConfig(@TempDir Path dir) throws Exception {
		Path folder = TinyCheckpoint.gemma(4).write(dir.resolve("g"), "F32", 1);
		Files.writeString(folder.resolve("generation_config.json"), "{\"bos_token_id\":1,\"eos_token_id\":[2,5]}");
		try(LanguageModel model = ForwardTest.load(folder)) {
			assertArrayEquals(new int[]{2, 5}, model.info().eosTokenIds());
		}
	}

	@Test
	void templateErrorsCarryTheTemplateMessage() {
		ChatTemplate template = new ChatTemplate("{% if messages|length > 1 %}{{ raise_exception('only one message') }}"
				+ "{% endif %}{{ messages[0]['content'] }}", "<s>", "</s>", Path.of("tokenizer_config.json"));
		assertEquals("hi", template.render(List.of(ChatMessage.user("hi")), true));
		IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> template.render(List.of(
				ChatMessage.user("a"), ChatMessage.user("b")), true));
		assertTrue(error.getMessage().contains("only one message"), error.getMessage());
	}

	@Test
	void unknownModelTypeAndMissingTensorAreNamed(@TempDir Path dir) throws Exception {
		Path folder = TinyCheckpoint.llama(2).write(dir.resolve("m"), "F32", 1);
		Path config = folder.resolve("config.json");
		JsonObject json = JsonParser.parseString(Files.readString(config)).getAsJsonObject();
		json.addProperty("model_type", "mamba");
		Files.writeString(config, json.toString());
		IOException unknown = assertThrows(IOException.class, () -> new DjlModelBackend().load(folder, null));
		assertTrue(unknown.getMessage().contains("config.json") && unknown.getMessage().contains("mamba"), unknown
				.getMessage());
		assertTrue(!new DjlModelBackend().canLoad(folder));
		TinyCheckpoint incomplete = TinyCheckpoint.gemma(3);
		incomplete.tensors.remove("model.layers.1.pre_feedforward_layernorm.weight");
		incomplete.shapes.remove("model.layers.1.pre_feedforward_layernorm.weight");
		Path broken = incomplete.write(dir.resolve("broken"), "F32", 1);
		assertTrue(new DjlModelBackend().canLoad(broken));
		IOException missing = assertThrows(IOException.class, () -> new DjlModelBackend().load(broken, null));
		assertTrue(missing.getMessage().contains("model.layers.1.pre_feedforward_layernorm.weight"), missing.getMessage());
		assertTrue(missing.getMessage().contains("broken"), missing.getMessage());
	}
}
