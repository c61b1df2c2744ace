package org.refusalscope.ui.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Optional;

import org.junit.jupiter.api.Test;

class WorkbenchArgumentsTest {

	@Test
	void readsRunAndScreenshotAndIgnoresPlatformArguments() {
		WorkbenchArguments args = WorkbenchArguments.parse(new String[]{"-clearPersistedState", "--run", "runs/a", "--screenshot=shot.png"});
		assertEquals(Optional.of(Path.of("runs/a")), args.run());
		assertEquals(Optional.of(Path.of("shot.png")), args.screenshot());
		assertEquals(Optional.empty(), WorkbenchArguments.parse(new String[0]).run());
	}

	@Test
	void usageErrors() {
		assertTrue(assertThrows(IllegalArgumentException.class, () -> WorkbenchArguments.parse(new String[]{"--screenshot", "a.png"}))
				.getMessage().startsWith("--screenshot needs --run"));
		assertTrue(assertThrows(IllegalArgumentException.class, () -> WorkbenchArguments.parse(new String[]{"--run"})).getMessage()
				.startsWith("--run needs a value"));
		assertTrue(assertThrows(IllegalArgumentException.class, () -> WorkbenchArguments.parse(new String[]{"--bogus", "x"}))
				.getMessage().startsWith("unknown option --bogus"));
	}
}
