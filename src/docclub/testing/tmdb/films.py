"""The films the fake TMDB knows, in the shape TMDB's v3 API answers them.

Shapes follow TMDB's `movie/{id}?append_to_response=credits,external_ids,watch/providers`,
`search/movie` and `configuration` answers field for field (the fields docclub reads and a
few it doesn't, as a real answer has them). The values are fixtures: ids, runtimes and
streaming offers are this fake's own, chosen to exercise docclub, not a record of TMDB today.
"""

from __future__ import annotations

from typing import Any

IMAGE_BASE = "https://image.tmdb.org/t/p/"

CONFIGURATION: dict[str, Any] = {
    "images": {
        "base_url": "http://image.tmdb.org/t/p/",
        "secure_base_url": IMAGE_BASE,
        "backdrop_sizes": ["w300", "w780", "w1280", "original"],
        "logo_sizes": ["w45", "w92", "w154", "w185", "w300", "w500", "original"],
        "poster_sizes": ["w92", "w154", "w185", "w342", "w500", "w780", "original"],
        "profile_sizes": ["w45", "w185", "h632", "original"],
        "still_sizes": ["w92", "w185", "w300", "original"],
    },
    "change_keys": ["adult", "cast", "crew", "genres", "images", "overview", "release_dates", "runtime", "title"],
}

GENRES = {99: "Documentary", 18: "Drama", 10402: "Music", 12: "Adventure", 10751: "Family", 36: "History"}


def _provider(provider_id: int, name: str, priority: int) -> dict[str, Any]:
    return {
        "logo_path": f"/logo{provider_id}.jpg",
        "provider_id": provider_id,
        "provider_name": name,
        "display_priority": priority,
    }


PRIME = _provider(9, "Amazon Prime Video", 2)
APPLE = _provider(2, "Apple TV", 4)
GOOGLE = _provider(3, "Google Play Movies", 6)
MAX = _provider(1899, "Max", 3)
DISNEY = _provider(337, "Disney Plus", 1)
HULU = _provider(15, "Hulu", 5)
KANOPY = _provider(191, "Kanopy", 20)
MUBI = _provider(11, "MUBI", 7)
BBC = _provider(38, "BBC iPlayer", 1)


def _film(
    tmdb_id: int,
    title: str,
    date: str,
    runtime: int,
    genre_ids: list[int],
    directors: list[str],
    overview: str,
    imdb_id: str | None,
    providers: dict[str, dict[str, list[dict[str, Any]]]],
    *,
    original_title: str | None = None,
    original_language: str = "en",
) -> dict[str, Any]:
    slug = "-".join(title.lower().split())
    return {
        "adult": False,
        "backdrop_path": f"/backdrop{tmdb_id}.jpg",
        "belongs_to_collection": None,
        "budget": 0,
        "genres": [{"id": g, "name": GENRES[g]} for g in genre_ids],
        "homepage": "",
        "id": tmdb_id,
        "imdb_id": imdb_id,
        "origin_country": ["US"],
        "original_language": original_language,
        "original_title": original_title or title,
        "overview": overview,
        "popularity": 12.5,
        "poster_path": f"/poster{tmdb_id}.jpg",
        "production_companies": [],
        "production_countries": [{"iso_3166_1": "US", "name": "United States of America"}],
        "release_date": date,
        "revenue": 0,
        "runtime": runtime,
        "spoken_languages": [{"english_name": "English", "iso_639_1": "en", "name": "English"}],
        "status": "Released",
        "tagline": "",
        "title": title,
        "video": False,
        "vote_average": 7.8,
        "vote_count": 240,
        "credits": {
            "cast": [],
            "crew": [
                *(
                    {
                        "adult": False,
                        "gender": 0,
                        "id": tmdb_id * 10 + i,
                        "known_for_department": "Directing",
                        "name": name,
                        "original_name": name,
                        "popularity": 1.2,
                        "profile_path": None,
                        "credit_id": f"credit{tmdb_id}{i}",
                        "department": "Directing",
                        "job": "Director",
                    }
                    for i, name in enumerate(directors)
                ),
                {
                    "adult": False,
                    "gender": 0,
                    "id": tmdb_id * 10 + 9,
                    "known_for_department": "Editing",
                    "name": "An Editor",
                    "original_name": "An Editor",
                    "popularity": 0.4,
                    "profile_path": None,
                    "credit_id": f"credit{tmdb_id}e",
                    "department": "Editing",
                    "job": "Editor",
                },
            ],
        },
        "external_ids": {
            "imdb_id": imdb_id,
            "wikidata_id": None,
            "facebook_id": None,
            "instagram_id": None,
            "twitter_id": None,
        },
        "watch/providers": {
            "results": {
                region: {"link": f"https://www.themoviedb.org/movie/{tmdb_id}-{slug}/watch?locale={region}", **offers}
                for region, offers in providers.items()
            }
        },
    }


MOVIES: dict[int, dict[str, Any]] = {
    m["id"]: m
    for m in (
        _film(
            1_001_001,
            "Beyond Utopia",
            "2023-10-23",
            115,
            [99],
            ["Madeleine Gavin"],
            "Families try to escape North Korea with the help of a South Korean pastor and a network of "
            "brokers, filmed as it happens across China, Vietnam and Laos.",
            "tt1000001",
            {
                "US": {"flatrate": [PRIME], "rent": [APPLE, GOOGLE], "buy": [APPLE, GOOGLE]},
                "GB": {"flatrate": [BBC]},
                "DE": {"rent": [APPLE]},
            },
        ),
        _film(
            1_001_002,
            "Navalny",
            "2022-04-24",
            98,
            [99],
            ["Daniel Roher"],
            "The Russian opposition leader, recovering from a nerve agent attack, investigates who poisoned him.",
            "tt1000002",
            {"US": {"flatrate": [MAX], "rent": [APPLE], "buy": [APPLE]}, "DE": {"flatrate": [PRIME]}},
        ),
        _film(
            1_001_003,
            "Amy",
            "2015-07-02",
            128,
            [99, 10402],
            ["Asif Kapadia"],
            "The life and music of Amy Winehouse, told through archive footage and the voices of those "
            "who knew her.\n\nA second paragraph that a card leaves out.",
            "tt1000003",
            {"US": {"flatrate": [KANOPY], "rent": [APPLE]}, "GB": {"flatrate": [MUBI]}},
        ),
        _film(
            1_001_004,
            "Amy",
            "1997-08-14",
            104,
            [18, 10751],
            ["Nadia Tass"],
            "A girl who stopped speaking after her father's death answers only to music.",
            "tt1000004",
            {},
        ),
        _film(
            1_001_005,
            "Free Solo",
            "2018-09-28",
            100,
            [99, 12],
            ["Elizabeth Chai Vasarhelyi", "Jimmy Chin"],
            "Alex Honnold prepares to climb El Capitan without a rope.",
            "tt1000005",
            {"US": {"flatrate": [DISNEY, HULU], "rent": [APPLE], "buy": [APPLE]}},
        ),
        _film(
            1_001_006,
            "This Is Not a Film",
            "2011-09-28",
            75,
            [99],
            ["Jafar Panahi", "Mojtaba Mirtahmasb"],
            "Under house arrest and banned from filmmaking, a director spends a day in his apartment.",
            "tt1000006",
            {"US": {"flatrate": [KANOPY]}},
            original_title="این فیلم نیست",
            original_language="fa",
        ),
    )
}


def search_result(movie: dict[str, Any]) -> dict[str, Any]:
    """A film as `search/movie` lists it (no credits, genre ids instead of genres)."""
    return {
        "adult": movie["adult"],
        "backdrop_path": movie["backdrop_path"],
        "genre_ids": [g["id"] for g in movie["genres"]],
        "id": movie["id"],
        "original_language": movie["original_language"],
        "original_title": movie["original_title"],
        "overview": movie["overview"],
        "popularity": movie["popularity"],
        "poster_path": movie["poster_path"],
        "release_date": movie["release_date"],
        "title": movie["title"],
        "video": movie["video"],
        "vote_average": movie["vote_average"],
        "vote_count": movie["vote_count"],
    }


def details(movie: dict[str, Any], append: set[str]) -> dict[str, Any]:
    """`movie/{id}` with only the appended parts asked for."""
    extra = {"credits", "external_ids", "watch/providers"}
    return {k: v for k, v in movie.items() if k not in extra or k in append}
