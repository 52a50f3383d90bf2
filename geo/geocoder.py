"""geopy-style geocoders: an offline one over our gazetteer, and online opt-ins.

:class:`OfflineGeocoder` follows geopy's contract (``geocode`` and
``reverse`` return ``None``, a :class:`geopy.location.Location` or a list of
them, never ``[]``), so it works anywhere a geopy geocoder does, including
``geopandas.tools.geocode(strings, provider=OfflineGeocoder)``.
"""

from __future__ import annotations

import math
import re

from geopy.exc import ConfigurationError, GeocoderQueryError
from geopy.geocoders.base import Geocoder
from geopy.location import Location

from geo.gazetteer import Gazetteer, Place, load_gazetteer, normalize_name

EARTH_RADIUS_KM = 6371.0088
ADMIN_WORDS = re.compile(
    r"\s+(governorate|province|region|oblast|state|district|county)$", re.I
)
KIND_ORDER = {"country": 0, "city": 1, "admin2": 2, "admin1": 3}


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in kilometres."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(a))


def _address(place: Place, gazetteer: Gazetteer) -> str:
    parts = [place.name]
    if place.kind == "city" and place.admin1_code:
        unit = gazetteer.admin1(place.admin1_code)
        if unit is not None and unit.name != place.name:
            parts.append(unit.name)
    if place.kind != "country":
        country = gazetteer.country(place.country_code)
        parts.append(country.name if country else place.country_code)
    return ", ".join(parts)


def _raw(place: Place) -> dict:
    return {
        "geonameid": place.geonameid,
        "name": place.name,
        "kind": place.kind,
        "country_code": place.country_code,
        "admin1_code": place.admin1_code,
        "population": place.population,
    }


class OfflineGeocoder(Geocoder):
    """Geocode place names and coordinates from the offline gazetteer.

    Parameters
    ----------
    gazetteer
        The gazetteer to query; loaded (and built on first use) if omitted.
    """

    def __init__(self, gazetteer: Gazetteer | None = None, **kwargs) -> None:
        super().__init__(**kwargs)
        self.gazetteer = gazetteer if gazetteer is not None else load_gazetteer()
        self._city_points: list[tuple[float, float, int]] | None = None

    def _location(self, place: Place) -> Location:
        return Location(
            _address(place, self.gazetteer), (place.lat, place.lon), _raw(place)
        )

    def geocode(
        self,
        query: str,
        *,
        exactly_one: bool = True,
        timeout: float | None = None,
        limit: int | None = None,
        country_codes: str | list[str] | None = None,
    ) -> Location | list[Location] | None:
        """Find places by name: "Aleppo", "Aleppo, Syria", "Idlib governorate".

        Parts after the first comma narrow the search to a country or an
        admin-1 unit. ``country_codes`` (ISO alpha-2) narrows it too. Results
        are ranked country, then cities by population, then admin-1 units;
        an admin word ("governorate", "province"...) ranks admin-1 units first.
        """
        if not isinstance(query, str) or not query.strip():
            raise GeocoderQueryError("geocode: query must be a non-empty string")
        if limit is not None and limit < 1:
            raise ConfigurationError(f"geocode: limit must be >= 1, got {limit}")
        name, *context = [part.strip() for part in query.split(",")]
        wants_admin = bool(ADMIN_WORDS.search(name))
        name = ADMIN_WORDS.sub("", name)
        places = self.gazetteer.candidates(name)
        if isinstance(country_codes, str):
            country_codes = [country_codes]
        allowed = {c.upper() for c in country_codes or ()}
        for part in context:
            narrowing = self.gazetteer.candidates(part)
            countries = {p.country_code for p in narrowing if p.kind == "country"}
            units = {p.admin1_code for p in narrowing if p.kind == "admin1"}
            if countries or units:
                places = [
                    p
                    for p in places
                    if p.country_code in countries or p.admin1_code in units
                ]
        if allowed:
            places = [p for p in places if p.country_code in allowed]
        if not places:
            return None

        def rank(p: Place) -> tuple:
            order = KIND_ORDER[p.kind]
            if wants_admin and p.kind == "admin1":
                order = -1
            exact = normalize_name(p.name) == normalize_name(name)
            return (order, not exact, -p.population, p.id)

        places.sort(key=rank)
        if exactly_one:
            return self._location(places[0])
        return [self._location(p) for p in places[: limit or len(places)]]

    def reverse(
        self,
        query,
        *,
        exactly_one: bool = True,
        timeout: float | None = None,
        limit: int | None = None,
    ) -> Location | list[Location] | None:
        """Nearest gazetteer cities to ``(lat, lon)`` (a tuple or "lat, lon")."""
        if isinstance(query, str):
            parts = query.split(",")
        else:
            parts = list(query) if query is not None else []
        try:
            lat, lon = (float(v) for v in parts)
        except (TypeError, ValueError):
            raise GeocoderQueryError(
                f"reverse: expected (lat, lon), got {query!r}"
            ) from None
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            raise GeocoderQueryError(f"reverse: ({lat}, {lon}) is not a coordinate")
        if self._city_points is None:
            self._city_points = [
                (p.lat, p.lon, p.id)
                for p in self.gazetteer.places()
                if p.kind == "city"
            ]
        # Cheap prefilter on squared degrees, exact distance on the survivors.
        scale = math.cos(math.radians(lat)) ** 2
        nearest = sorted(
            self._city_points,
            key=lambda c: (c[0] - lat) ** 2 + scale * (c[1] - lon) ** 2,
        )[: max(10, limit or 1)]
        nearest.sort(key=lambda c: haversine_km(lat, lon, c[0], c[1]))
        if not nearest:
            return None
        places = [self.gazetteer.place(c[2]) for c in nearest]
        if exactly_one:
            return self._location(places[0])
        return [self._location(p) for p in places[: limit or 1]]


def online_geocoder(
    service: str = "nominatim",
    *,
    user_agent: str = "conflict-atlas",
    min_delay_seconds: float = 1.0,
    **kwargs,
):
    """An opt-in online geopy geocoder's ``geocode``, rate limited.

    Never used unless the user switches it on: it sends place names to the
    service. Returns a callable with geopy's ``geocode`` signature.
    """
    from geopy.extra.rate_limiter import RateLimiter
    from geopy.geocoders import get_geocoder_for_service

    geocoder = get_geocoder_for_service(service)(user_agent=user_agent, **kwargs)
    return RateLimiter(geocoder.geocode, min_delay_seconds=min_delay_seconds)
