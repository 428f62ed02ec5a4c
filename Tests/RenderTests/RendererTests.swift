import Foundation
import LocalServer
@testable import Render
import XCTest

/// Headless Chromium over fixture pages on 127.0.0.1: lists from inline data, from a
/// same-host JSON endpoint, an endpoint past the page's budget, a script that never finishes.
final class RendererTests: XCTestCase {
    func renderer(pageSeconds: Double = 40, runSeconds: Double = 300) throws -> Renderer {
        var s = RenderSettings()
        s.browserPath = try browserOrSkip()
        s.pageSeconds = pageSeconds
        s.runSeconds = runSeconds
        return try XCTUnwrap(Renderer(settings: s))
    }

    func text(_ page: RenderedPage) -> String { String(decoding: page.markup, as: UTF8.self) }

    func testListsFromInlineDataAndFromASameHostEndpoint() async throws {
        let r = try renderer()
        let server = try LocalServer(handler: RenderPortal.handler(scripted: true))
        defer { server.stop() }
        // Inline data (the jpage datastore written out), fetch and XMLHttpRequest.
        let jpage = text(try await r.render(url: server.baseURL + "tzgg/"))
        XCTAssertTrue(jpage.contains("<li><a href=\"/art/2022/3/1/art_3_1.html\">关于冬季供暖的通知</a><span>2022-03-01</span></li>"), jpage)
        let home = text(try await r.render(url: server.baseURL))
        XCTAssertTrue(home.contains("区政府召开常务会议</a><span>2022-09-01</span>"), home)
        let xhr = text(try await r.render(url: server.baseURL + "gzdt/", viewport: .phone))
        XCTAssertTrue(xhr.contains("街道开展安全检查</a><span>2022-09-15</span>"), xhr)
        XCTAssertTrue(server.requests.contains { $0.path == "/api/gzdt.json" })
        XCTAssertGreaterThan(r.secondsSpent, 0)
        XCTAssertEqual(r.browsersStarted, 1, "one browser for the three pages, one after the other")
        r.shutdown()
    }

    func testAnEndpointPastTheBudgetAndAScriptThatNeverEndsTimeOut() async throws {
        let r = try renderer(pageSeconds: 6)
        let server = try LocalServer(handler: RenderPortal.handler(scripted: true, slowAPI: 60))
        defer { server.stop() }
        for path in ["gzdt/", "loop/"] {
            let started = Date()
            do {
                _ = try await r.render(url: server.baseURL + path)
                XCTFail("\(path) rendered")
            } catch {
                XCTAssertEqual(error, .timeout(seconds: 6), path)
            }
            // Killed at the deadline (the process group), not left to run.
            XCTAssertLessThan(Date().timeIntervalSince(started), 15, path)
        }
    }

    func testTheRenderSlotsShareOneBrowserATabAPage() async throws {
        let r = try renderer()
        let server = try LocalServer(handler: RenderPortal.handler(scripted: true))
        defer { server.stop() }
        // Two slots, four pages at once: tabs of one browser, started by the first.
        let pages = try await withThrowingTaskGroup(of: String.self) { group in
            for path in ["", "gzdt/", "tzgg/", ""] {
                let url = server.baseURL + path
                group.addTask { String(decoding: try await r.render(url: url).markup, as: UTF8.self) }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        XCTAssertEqual(pages.filter { $0.contains("街道开展安全检查</a><span>2022-09-15</span>") }.count, 1)
        XCTAssertEqual(pages.filter { $0.contains("区政府召开常务会议</a><span>2022-09-01</span>") }.count, 2)
        XCTAssertEqual(r.browsersStarted, 1)
        XCTAssertEqual(r.browsersRunning.count, 1)
        r.shutdown()
        XCTAssertEqual(r.browsersRunning, [])
    }

    func testAHungBrowserIsKilledAndStartedAgain() async throws {
        let r = try renderer(pageSeconds: 4)
        let server = try LocalServer(handler: RenderPortal.handler(scripted: true))
        defer { server.stop() }
        _ = try await r.render(url: server.baseURL)
        let first = try XCTUnwrap(r.browsersRunning.first)
        // A browser that answers nothing (stopped): the page times out, its tab cannot be
        // closed, and the browser goes with its process group.
        kill(first, SIGSTOP)
        do { _ = try await r.render(url: server.baseURL + "gzdt/"); XCTFail("rendered") } catch {
            XCTAssertEqual(error, .timeout(seconds: 4))
        }
        XCTAssertEqual(r.browsersRunning, [])
        XCTAssertEqual(Glibc.kill(first, 0), -1, "killed and reaped")
        let next = text(try await r.render(url: server.baseURL + "gzdt/"))
        XCTAssertTrue(next.contains("街道开展安全检查"), next)
        XCTAssertEqual(r.browsersStarted, 2)
        r.shutdown()
    }

    func testTheRunBudgetBoundsRendering() async throws {
        let r = try renderer(pageSeconds: 3, runSeconds: 0.5)
        let server = try LocalServer(handler: RenderPortal.handler(scripted: true, slowAPI: 60))
        defer { server.stop() }
        do { _ = try await r.render(url: server.baseURL + "gzdt/"); XCTFail("rendered") } catch {
            XCTAssertEqual(error, .timeout(seconds: 0.5), "the page gets what is left of the run's budget")
        }
        do { _ = try await r.render(url: server.baseURL); XCTFail("rendered") } catch {
            XCTAssertEqual(error, .runBudgetSpent)
        }
    }

    func testTheBrowserResolvesOnlyThePagesHost() throws {
        var s = RenderSettings()
        s.browserPath = "/bin/true"
        let r = try XCTUnwrap(Renderer(settings: s))
        let args = r.arguments(host: "www.example.gov.cn")
        XCTAssertTrue(args.contains("--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE www.example.gov.cn"), "\(args)")
        XCTAssertTrue(args.contains("--blink-settings=imagesEnabled=false"))
        XCTAssertTrue(args.contains("--remote-debugging-pipe"))
    }

    func testNoBrowser() {
        var s = RenderSettings()
        s.browserPath = "/nonexistent/chromium"
        XCTAssertNil(Renderer(settings: s))
    }
}
