package io.sluice.relay;

import io.sluice.relay.RelayDtos.FilePublishRequest;
import io.sluice.relay.RelayDtos.FilePublishView;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Pattern;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.validation.annotation.Validated;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

@Tag(name = "File publish", description = "Publish a server-side FLV file as a live stream at real-time pace")
@RestController
@RequestMapping("/api/streams/{app}/{name}/file-publish")
@PreAuthorize("hasAuthority('SCOPE_admin')")
@Validated
class FilePublishController {
    /** A stream or application name as the engine accepts it. */
    static final String NAME = "(?!\\.)[A-Za-z0-9\\-_.~@+=]{1,200}";

    private final FilePublishService files;

    FilePublishController(FilePublishService files) {
        this.files = files;
    }

    @Operation(summary = "Start publishing a file", description = "The file (a path inside the data directory) is "
            + "sent tag by tag at real-time pace, once or looped with continuous timestamps; the stream is live for "
            + "players, recordings and the API. 409 if the stream is already live.")
    @PostMapping
    ResponseEntity<FilePublishView> start(@PathVariable @Pattern(regexp = NAME) String app,
                                          @PathVariable @Pattern(regexp = NAME) String name,
                                          @Valid @RequestBody FilePublishRequest body) {
        return ResponseEntity.status(HttpStatus.ACCEPTED).body(files.start(app, name, body));
    }

    @Operation(summary = "The file publish of this stream (running or ended)")
    @GetMapping
    FilePublishView get(@PathVariable String app, @PathVariable String name) {
        return files.get(app, name);
    }

    @Operation(summary = "Stop publishing the file")
    @DeleteMapping
    FilePublishView stop(@PathVariable String app, @PathVariable String name) {
        return files.stop(app, name);
    }
}
