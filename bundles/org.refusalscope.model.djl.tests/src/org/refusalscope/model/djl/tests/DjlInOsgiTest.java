package org.refusalscope.model.djl.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.refusalscope.model.djl.Djl;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/** DJL's PyTorch engine and the HF tokenizer load offline inside OSGi from the embedded jars. */
class DjlInOsgiTest {

	@Test
	void matrixMultiplyOnPyTorch() {
		assertEquals("PyTorch", Djl.engine().getEngineName());
		try(NDManager manager = Djl.newManager()) {
			NDArray a = manager.create(new float[]{1, 2, 3, 4}, new Shape(2, 2));
			NDArray b = manager.create(new float[]{5, 6, 7, 8}, new Shape(2, 2));
			assertArrayEquals(new float[]{19, 22, 43, 50}, a.matMul(b).toFloatArray());
		}
	}

	@Test
	void tokenizerFromLocalFile(@TempDir Path dir) throws Exception {
		Path file = dir.resolve("tokenizer.json");
		Files.writeString(file, "{\"version\":\"1.0\",\"truncation\":null,\"padding\":null,\"added_tokens\":[{\"id\":0,"
				+ "\"content\":\"[UNK]\",\"single_word\":false,\"lstrip\":false,\"rstrip\":false,\"normalized\":false,"
				+ "\"special\":true}],\"normalizer\":{\"type\":\"Lowercase\"},\"pre_tokenizer\":{\"type\":\"Whitespace\"},"
				+ "\"post_processor\":null,\"decoder\":null,\"model\":{\"type\":\"WordLevel\",\"vocab\":{\"[UNK]\":0,"
				+ "\"hello\":1,\"world\":2,\"osgi\":3,\"djl\":4,\"!\":5},\"unk_token\":\"[UNK]\"}}");
		long[] ids = Djl.withBundleClassLoader(() -> {
			try(HuggingFaceTokenizer tokenizer = HuggingFaceTokenizer.newInstance(file, Map.of("addSpecialTokens", "false"))) {
				return tokenizer.encode("Hello OSGi world ! unknown").getIds();
			}
		});
		assertArrayEquals(new long[]{1, 3, 2, 5, 0}, ids);
	}
}
